import dns from 'node:dns';

/** Looks a DNS name up now. The policy resolves once and the session connects to that very answer. */
export interface AddressResolver {
  resolve(name: string): Promise<string[]>;
}

/** The system resolver (hosts file, DNS, nsswitch), every answer, in the order the system gives. */
export class SystemResolver implements AddressResolver {
  async resolve(name: string): Promise<string[]> {
    const answers = await dns.promises.lookup(name, { all: true, verbatim: true });
    return answers.map((a) => a.address);
  }
}
