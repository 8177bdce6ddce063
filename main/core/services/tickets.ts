import type { CurrentEngineer } from '../who';
import type { ParsedInputOf } from '../../../contract/api';
import type { SeverityComputation, Ticket, TicketSummary } from '../../../contract/models';
import type { Db } from '../store/database';
import { classifySeverity } from '../tickets/severity';
import { findTicketIdByRef, getTicket, listTickets, openTicket, systemClock, ticketActionsAt, type TicketClock } from '../tickets/tickets';

/** Tickets with the guide's severities and SLA clocks; every change records who made it and why. */
export interface TicketService {
  list(filter: ParsedInputOf<'tickets.list'>): Promise<TicketSummary[]>;
  get(id: number): Promise<Ticket>;
  /** By its reference (`INC-1042`), case-insensitive; null when there is none. */
  findByRef(ref: string): Promise<Ticket | null>;
  open(input: ParsedInputOf<'tickets.open'>): Promise<Ticket>;
  act(input: ParsedInputOf<'tickets.act'>): Promise<Ticket>;
  classify(input: ParsedInputOf<'tickets.classify'>): Promise<SeverityComputation>;
}

export class SqliteTickets implements TicketService {
  private readonly actions: ReturnType<typeof ticketActionsAt>;

  /** `clock`: the team's time on a data dir linked to a team store (times recorded and SLA clocks' "now"). */
  constructor(private readonly db: Db, private readonly engineer: CurrentEngineer, private readonly clock: TicketClock = systemClock) {
    this.actions = ticketActionsAt(clock);
  }

  async list(filter: ParsedInputOf<'tickets.list'>): Promise<TicketSummary[]> { return listTickets(this.db, filter, this.clock()); }
  async get(id: number): Promise<Ticket> { return getTicket(this.db, id, this.clock()); }
  async findByRef(ref: string): Promise<Ticket | null> {
    const id = findTicketIdByRef(this.db, ref);
    return id === undefined ? null : getTicket(this.db, id, this.clock());
  }
  async open(input: ParsedInputOf<'tickets.open'>): Promise<Ticket> { return this.get(openTicket(this.db, input, this.engineer(), this.clock)); }
  async classify({ component, impact }: ParsedInputOf<'tickets.classify'>): Promise<SeverityComputation> { return classifySeverity({ ...impact, component }); }

  async act(input: ParsedInputOf<'tickets.act'>): Promise<Ticket> {
    const { db, actions: ticketActions } = this;
    const engineer = this.engineer();
    switch (input.action) {
      case 'respond': ticketActions.respond(db, input.id, engineer); break;
      case 'resolve': ticketActions.resolve(db, input.id, engineer, input.reason); break;
      case 'close': ticketActions.close(db, input.id, engineer); break;
      case 'reopen': ticketActions.reopen(db, input.id, engineer, input.reason); break;
      case 'escalate': ticketActions.escalate(db, input.id, engineer, input.to, input.reason); break;
      case 'overrideSeverity': ticketActions.overrideSeverity(db, input.id, engineer, input.severity, input.reason); break;
      case 'setCause': ticketActions.setCause(db, input.id, engineer, input.cause, input.reason); break;
      case 'rcaWait': ticketActions.rcaWait(db, input.id, engineer, input.waiting, input.reason); break;
      case 'rcaDelivered': ticketActions.rcaDelivered(db, input.id, engineer); break;
    }
    return this.get(input.id);
  }
}
