/** What other modules may use of registrant: its service (`kernel.service<RegistrantService>('registrant')`) and the types it answers with. */
export type { DomainHolding, ImportedDomain, RegistrantService, RegistrationData } from './registrant-service';
