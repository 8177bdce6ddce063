import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import {
  ALLOWED_EXTERNAL_SCHEMES,
  MEETING_DOMAINS,
  anydeskLink,
  meetingLink,
  teamviewerLink,
} from '../../main/core/launchers/deep-links';
import { checkExternalUrl } from '../../main/core/launchers/external-opener';

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected a refusal, got a link');
}

/** Inputs that must never become a partner ID in a deep link. */
const BAD_PARTNER_IDS: readonly string[] = [
  '',
  '12345678', // 8 digits
  '12345678901', // 11 digits
  '１２３４５６７８９', // full-width digits
  '١٢٣٤٥٦٧٨٩', // Arabic-Indic digits
  '12345678٩',
  ' 123456789',
  '123456789 ',
  '12345 6789',
  '123456789\n',
  '123456789\r\n',
  '123456789\u0000',
  '123456789&device=987654321',
  '123456789?x=1',
  '123456789#frag',
  '123456789%0a',
  '123456789/../x',
  '-123456789',
  '+123456789',
  '0x1234567',
  'abcdefghi',
  'teamviewer10://control?device=123456789',
  'anydesk:123456789',
];

describe('teamviewerLink', () => {
  it.each(['123456789', '1234567890', '000000000'])('%j → teamviewer10 link', (id) => {
    expect(teamviewerLink(id)).toBe(`teamviewer10://control?device=${id}`);
  });
  it.each(BAD_PARTNER_IDS.map((id) => [id]))('refuses %j', (id) => {
    const error = refusal(() => teamviewerLink(id));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/is not a TeamViewer ID: a TeamViewer ID is 9 or 10 digits/);
  });
  it('refuses non-strings arriving from untyped callers', () => {
    expect(refusal(() => teamviewerLink(123456789 as unknown as string)).code).toBe('INVALID_INPUT');
  });
});

describe('anydeskLink', () => {
  it.each(['123456789', '1234567890', 'acme-desk@ad', 'a@ad', 'pc.07_x@ad'])('%j → anydesk link', (id) => {
    expect(anydeskLink(id)).toBe(`anydesk:${id}`);
  });
  it.each(
    [...BAD_PARTNER_IDS, 'alias@ad.evil', 'alias@ad\n', 'Alias@ad', '@ad', '-x@ad', '.x@ad', 'a b@ad', 'alias@ad?x', 'alias@ad#x',
      'alias%0a@ad', 'alias@evil', 'alias@@ad', `${'x'.repeat(41)}@ad`, 'alias@ad/../x', 'аlias@ad' /* Cyrillic а */].map((id) => [id]),
  )('refuses %j', (id) => {
    const error = refusal(() => anydeskLink(id));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/is not an AnyDesk ID/);
  });
});

describe('meetingLink accepts allow-listed https links and returns the normalised href', () => {
  it.each([
    ['webex', 'https://acme.webex.com/meet/priya', 'https://acme.webex.com/meet/priya'],
    ['webex', 'https://webex.com/meet/x', 'https://webex.com/meet/x'],
    ['webex', 'https://ACME.Webex.COM/meet/x', 'https://acme.webex.com/meet/x'],
    ['webex', 'HTTPS://acme.webex.com/j.php?MTID=m1234', 'https://acme.webex.com/j.php?MTID=m1234'],
    ['webex', 'https://acme.webex.com:443/meet/x', 'https://acme.webex.com/meet/x'],
    ['webex', 'https://a.b.webex.com', 'https://a.b.webex.com/'],
    ['teams', 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_N2Y%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_N2Y%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d'],
    ['teams', 'https://teams.live.com/meet/9312345678', 'https://teams.live.com/meet/9312345678'],
    ['teams', 'https://gov.teams.microsoft.com/l/x#y', 'https://gov.teams.microsoft.com/l/x#y'],
  ] as const)('%s %j', (method, url, href) => {
    expect(meetingLink(method, url)).toBe(href);
  });
});

describe('meetingLink refuses anything that is not plainly an allow-listed https host', () => {
  it.each([
    ['webex', 'https://webex.com.evil.io/meet/x', /not webex\.com/],
    ['webex', 'https://evilwebex.com/meet/x', /not webex\.com/],
    ['webex', 'https://acme.webex.co/meet/x', /not webex\.com/],
    ['webex', 'https://webex.cοm/meet/x', /non-ASCII/], // Greek omicron
    ['webex', 'https://wеbex.com/meet/x', /non-ASCII/], // Cyrillic e
    ['webex', 'https://xn--wbex-v4d.com/meet/x', /punycode/],
    ['webex', 'https://webex.xn--cm-jbc/meet/x', /punycode/],
    ['webex', 'https://xn--80ak6aa92e.webex.com/x', /punycode/],
    ['webex', 'https://acme．webex.com/x', /non-ASCII/], // full-width dot
    ['webex', 'https://user:pw@acme.webex.com/x', /user name or password/],
    ['webex', 'https://acme.webex.com@evil.io/x', /user name or password/],
    ['webex', 'https://acme.webex.com:443@evil.io/x', /user name or password/],
    ['webex', 'https://acme.webex.com:8443/x', /port 8443/],
    ['webex', 'https://acme.webex.com:80/x', /port 80/],
    ['webex', 'http://acme.webex.com/x', /must start with https/],
    ['webex', 'javascript:alert(1)//acme.webex.com', /must start with https/],
    ['webex', 'data:text/html,<script>alert(1)</script>', /must start with https/],
    ['webex', 'file:///etc/passwd', /must start with https/],
    ['webex', 'wss://acme.webex.com/x', /must start with https/],
    ['webex', '//acme.webex.com/x', /must start with https/],
    ['webex', 'acme.webex.com/meet/x', /must start with https/],
    ['webex', 'https:acme.webex.com/x', /must start with https/],
    ['webex', 'https:///acme.webex.com/x', /must start with https/],
    ['webex', 'https://evil.io\\@acme.webex.com/x', /backslash/],
    ['webex', 'https://acme.webex.com\\.evil.io/x', /backslash/],
    ['webex', ' https://acme.webex.com/x', /spaces, control/],
    ['webex', 'https://acme.webex.com/x ', /spaces, control/],
    ['webex', 'https://acme.webex.com/x\n', /spaces, control/],
    ['webex', 'https://acme.webex.com\t/x', /spaces, control/],
    ['webex', 'https://acme.webex.com/\u0000', /spaces, control/],
    ['webex', 'https://acme.webex.com/\u2028x', /spaces, control/],
    ['webex', 'https://acme.webex.com%2F@evil.io/', /user name or password/],
    ['webex', 'https://webex%2Ecom/x', /percent/],
    ['webex', 'https://1.2.3.4/x', /IP address/],
    ['webex', 'https://0x7f000001/x', /IP address/],
    ['webex', 'https://[::1]/x', /IP address/],
    ['webex', 'https://webex.com./x', /ends with a dot/],
    ['webex', 'https://teams.microsoft.com/l/x', /not webex\.com/],
    ['webex', '', /required/],
    ['webex', `https://acme.webex.com/${'x'.repeat(2100)}`, /at most 2048/],
    ['teams', 'https://teams.microsoft.com.evil/l/x', /not teams\.microsoft\.com or teams\.live\.com/],
    ['teams', 'https://teams.microsoft.com.evil.io/l/x', /not teams\.microsoft\.com/],
    ['teams', 'https://teams.microsoft.com@evil.io/l/x', /user name or password/],
    ['teams', 'https://evil.io#@teams.microsoft.com/l/x', /not teams\.microsoft\.com/],
    ['teams', 'https://evil.io?@teams.microsoft.com/l/x', /not teams\.microsoft\.com/],
    ['teams', 'https://microsoft.com/l/x', /not teams\.microsoft\.com/],
    ['teams', 'https://fakteams.microsoft.com/l/x', /not teams\.microsoft\.com/],
    ['teams', 'https://teams.live.com.evil.io/meet/1', /not teams\.microsoft\.com/],
    ['teams', 'https://acme.webex.com/meet/x', /not teams\.microsoft\.com/],
    ['teams', 'http://teams.microsoft.com/l/x', /must start with https/],
  ] as const)('%s %j', (method, url, reason) => {
    const error = refusal(() => meetingLink(method, url));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(reason);
  });
  it('refuses an unknown method', () => {
    expect(refusal(() => meetingLink('zoom' as 'webex', 'https://acme.webex.com/x')).message).toMatch(/not a meeting method/);
    expect(refusal(() => meetingLink('toString' as 'webex', 'https://acme.webex.com/x')).message).toMatch(/not a meeting method/);
  });
});

describe('allow-lists', () => {
  it('are fixed', () => {
    expect(ALLOWED_EXTERNAL_SCHEMES).toEqual(['https:', 'teamviewer10:', 'anydesk:']);
    expect(MEETING_DOMAINS).toEqual({ webex: ['webex.com'], teams: ['teams.microsoft.com', 'teams.live.com'] });
    expect(Object.isFrozen(ALLOWED_EXTERNAL_SCHEMES) && Object.isFrozen(MEETING_DOMAINS.webex)).toBe(true);
  });
});

describe('checkExternalUrl (what the system opener accepts)', () => {
  it.each(['teamviewer10://control?device=123456789', 'anydesk:123456789', 'anydesk:acme@ad', 'https://acme.webex.com/meet/x'])(
    'passes %j',
    (url) => expect(checkExternalUrl(url)).toBe(url),
  );
  it.each([
    ['http://acme.webex.com/x', /only https: teamviewer10: anydesk:/],
    ['file:///etc/passwd', /only https:/],
    ['javascript:alert(1)', /only https:/],
    ['ssh://root@evil.io', /only https:/],
    ['-e', /not a valid URL/],
    ['--help', /not a valid URL/],
    ['teamviewer10://control?device=123456789&x=1', /as Switchboard builds them/],
    ['teamviewer10://control?device=123456789%0a', /as Switchboard builds them/],
    ['anydesk:alias@ad.evil', /as Switchboard builds them/],
    ['ANYDESK:123456789', /normalised form/],
    ['https://acme.webex.com', /normalised form/],
    ['https://u:p@acme.webex.com/', /user name, password or port/],
    ['https://acme.webex.com:8443/', /user name, password or port/],
    ['anydesk:123456789\n', /spaces, control/],
    ['', /1–2048/],
  ] as const)('refuses %j', (url, reason) => {
    const error = refusal(() => checkExternalUrl(url));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(reason);
  });
  it('accepts every link the builders produce', () => {
    for (const link of [teamviewerLink('1234567890'), anydeskLink('x.y@ad'), meetingLink('teams', 'https://teams.live.com/meet/1')]) {
      expect(checkExternalUrl(link)).toBe(link);
    }
  });
});
