/** A self-signed test certificate (CN=console.test.example, valid to 2126); only its bytes matter. */
export const TEST_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBlDCCATugAwIBAgIUbOWiTET5RULThdrtmMpIe5InUy8wCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUY29uc29sZS50ZXN0LmV4YW1wbGUwIBcNMjYxMTI2MDExOTEz
WhgPMjEyNjExMDIwMTE5MTNaMB8xHTAbBgNVBAMMFGNvbnNvbGUudGVzdC5leGFt
cGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiP1KsDw5mBmr4hdloCGbFZxR
jKpa2FR8gFUzSBC34XMaZzfBmfJPTCrbP5AW/SESyuCxoDiM9V0JFb01zn2JK6NT
MFEwHQYDVR0OBBYEFIFBbb1tVeOLjQ4Q3Cfpcg7oecH7MB8GA1UdIwQYMBaAFIFB
bb1tVeOLjQ4Q3Cfpcg7oecH7MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
RwAwRAIgCWM46DYrDVNInpv8wWXxP9uKq++Q1g7uiiSa6Va/H1wCIC3UPXIgxPGm
wBZk9s+llDG+u1ZThrS2jndog0UvKS1d
-----END CERTIFICATE-----
`;
/** What `openssl x509 -noout -fingerprint -sha256` prints for TEST_CERT_PEM. */
export const TEST_CERT_PIN = '03:89:EB:91:D6:AB:35:06:B1:C4:43:84:E8:50:9B:02:93:FE:5A:DE:9B:42:D8:B9:E5:12:A0:40:70:50:A2:27';
/** A well-formed pin that matches nothing. */
export const OTHER_PIN = Array.from({ length: 32 }, () => 'AB').join(':');
