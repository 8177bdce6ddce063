import { Autocomplete, Button, Checkbox, Divider, Group, NumberInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/transport';
import { siteFields, type SiteFields } from '../../../../contract/inputs';
import type { Site } from '../../../../contract/models';
import { COMPONENTS, COMPONENT_LABELS, METHODS, METHOD_LABELS, VPN_CLIENTS, type Component, type Method, type VpnClient } from '../../../../contract/domain/vocabulary';
import { apiFieldErrors, errorAt, errorMessage, toNumber, zodErrors, type FieldErrors } from '../../lib/validation';
import { refreshAll } from '../../stores/refresh';
import { navigate } from '../../stores/ui';
import { FormError } from '../common/FormError';
import { FileTransferSection, type FileTransferDraft } from './FileTransferSection';
import { RecordInputSwitch } from './RecordInputSwitch';

const VPN_LABELS: Record<VpnClient, string> = { openvpn: 'OpenVPN', wireguard: 'WireGuard', openconnect: 'OpenConnect', forticlient: 'FortiClient' };

export function SiteForm({ customerId, site, onDone }: { customerId: number; site?: Site; onDone: () => void }) {
  const [name, setName] = useState(site?.name ?? '');
  const [seats, setSeats] = useState<number | string>(site?.seats ?? 100);
  const [peakCalls, setPeakCalls] = useState<number | string>(site?.peakCalls ?? 0);
  const [components, setComponents] = useState<string[]>(site?.components ?? ['acd', 'ivr']);
  const [productVersion, setProductVersion] = useState(site?.productVersion ?? '');
  const [methods, setMethods] = useState<string[]>(site?.approvedMethods ?? ['ssh', 'https']);
  const [withRetention, setWithRetention] = useState(site ? Boolean(site.retention) : true);
  const [ameyodb, setAmeyodb] = useState<number | string>(site?.retention?.ameyodbDays ?? 90);
  const [reportsdb, setReportsdb] = useState<number | string>(site?.retention?.reportsdbDays ?? 180);
  const [withVpn, setWithVpn] = useState(Boolean(site?.vpn));
  const [vpnClient, setVpnClient] = useState<string>(site?.vpn?.client ?? 'openvpn');
  const [vpnProfile, setVpnProfile] = useState(site?.vpn?.profile ?? '');
  const [vpnGateway, setVpnGateway] = useState(site?.vpn?.gateway ?? '');
  // A new site has no hosts yet: its VPN gateway is created with it, as its first trusted host.
  const [gatewayAddress, setGatewayAddress] = useState('');
  const [recordInput, setRecordInput] = useState(site?.recordInput ?? false);
  const [files, setFiles] = useState<FileTransferDraft>(site?.files ?? { transfer: 'off', folders: [] });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = {
      name,
      seats: toNumber(seats),
      peakCalls: toNumber(peakCalls),
      components: COMPONENTS.filter((c) => components.includes(c)) as Component[],
      productVersion,
      approvedMethods: METHODS.filter((m) => methods.includes(m)) as Method[],
      retention: withRetention ? { ameyodbDays: toNumber(ameyodb), reportsdbDays: toNumber(reportsdb) } : undefined,
      vpn: withVpn ? { client: vpnClient as VpnClient, profile: vpnProfile, gateway: vpnGateway.trim() } : undefined,
      recordInput,
      // Always sent: file transfer is policy, and a site form without it would mean off.
      files,
    } as SiteFields;
    const parsed = siteFields.safeParse(fields);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setSaving(true);
    try {
      const gatewayHost = withVpn && gatewayAddress.trim() ? { name: vpnGateway.trim(), address: gatewayAddress.trim(), allow: [] } : undefined;
      const saved = site ? await api['sites.update']({ id: site.id, fields }) : await api['sites.create']({ customerId, fields, ...(gatewayHost ? { gatewayHost } : {}) });
      await refreshAll();
      onDone();
      navigate({ name: 'site', id: saved.id, tab: 'hosts' });
    } catch (error) {
      const fieldErrors = apiFieldErrors(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length ? null : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <TextInput label="Site name" withAsterisk placeholder="mumbai-prod" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errorAt(errors, 'name')} data-testid="site-form-name" data-autofocus />
        <Group grow align="flex-start">
          <NumberInput label="Agent seats" withAsterisk min={1} value={seats} onChange={setSeats} error={errorAt(errors, 'seats')} data-testid="site-form-seats" />
          <NumberInput label="Peak concurrent calls" min={0} value={peakCalls} onChange={setPeakCalls} error={errorAt(errors, 'peakCalls')} data-testid="site-form-peak-calls" />
          <TextInput label="Product version" placeholder="4.12.3" value={productVersion} onChange={(e) => setProductVersion(e.currentTarget.value)} error={errorAt(errors, 'productVersion')} data-testid="site-form-version" />
        </Group>
        <Checkbox.Group label="Components" value={components} onChange={setComponents} error={errorAt(errors, 'components')}>
          <Group gap="md" mt={6}>{COMPONENTS.map((c) => <Checkbox key={c} value={c} label={COMPONENT_LABELS[c]} />)}</Group>
        </Checkbox.Group>
        <Checkbox.Group label="Approved access methods" description="Methods the customer approved for this site; anything else needs a recorded exception." value={methods} onChange={setMethods} error={errorAt(errors, 'approvedMethods')}>
          <Group gap="md" mt={6}>{METHODS.map((m) => <Checkbox key={m} value={m} label={METHOD_LABELS[m]} />)}</Group>
        </Checkbox.Group>
        <Divider />
        <Switch label="Database retention policy" checked={withRetention} onChange={(e) => setWithRetention(e.currentTarget.checked)} />
        {withRetention && (
          <Group grow align="flex-start">
            <NumberInput label="ameyodb (days)" min={1} value={ameyodb} onChange={setAmeyodb} error={errorAt(errors, 'retention.ameyodbDays')} />
            <NumberInput label="reportsdb (days)" min={1} value={reportsdb} onChange={setReportsdb} error={errorAt(errors, 'retention.reportsdbDays')} />
          </Group>
        )}
        <Switch label="VPN profile" checked={withVpn} onChange={(e) => setWithVpn(e.currentTarget.checked)} data-testid="site-form-vpn" />
        {withVpn && (
          <Group grow align="flex-start">
            <Select label="VPN client" data={VPN_CLIENTS.map((c) => ({ value: c, label: VPN_LABELS[c] }))} value={vpnClient} onChange={(v) => setVpnClient(v ?? 'openvpn')} allowDeselect={false} error={errorAt(errors, 'vpn.client')} />
            <TextInput label="Profile file" description="Absolute path; checked for hooks and copied" placeholder="/home/me/vpn/acme.ovpn" value={vpnProfile} onChange={(e) => setVpnProfile(e.currentTarget.value)} error={errorAt(errors, 'vpn.profile')} data-testid="site-form-vpn-profile" />
            <Autocomplete label="Gateway host" placeholder="vpn-gw" data={site?.hosts.map((h) => h.name) ?? []} value={vpnGateway} onChange={setVpnGateway} error={errorAt(errors, 'vpn.gateway') ?? errorAt(errors, 'gatewayHost.name')} data-testid="site-form-vpn-gateway" />
            {!site && (
              <TextInput label="Gateway address" description="Added as the site's first trusted host" placeholder="203.0.113.7" value={gatewayAddress} onChange={(e) => setGatewayAddress(e.currentTarget.value)} error={errorAt(errors, 'gatewayHost.address') ?? errors.gatewayHost} data-testid="site-form-vpn-gateway-address" />
            )}
          </Group>
        )}
        <Divider />
        <FileTransferSection value={files} onChange={setFiles} errors={errors} />
        <Divider />
        <RecordInputSwitch checked={recordInput} onChange={setRecordInput} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" loading={saving} data-testid="save-site">{site ? 'Save changes' : 'Add site'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
