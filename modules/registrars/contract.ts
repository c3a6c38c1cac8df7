/**
 * The registrar module contract: what every registrar module (EPP, or a wrapper around a WHMCS registrar module)
 * offers, mirroring WHMCS's registrar functions, with one result shape. Only the registrant module passes contact
 * data to a registrar module.
 */

/** Which EPP contact fields may be published (RFC 5733 <contact:disclose>); false = ask the registry to hide it. */
export interface DiscloseFlags { name?: boolean; org?: boolean; addr?: boolean; voice?: boolean; fax?: boolean; email?: boolean }

/** One contact as a registry takes it (EPP limits are checked by the registrant module before sending). */
export interface RegistryContact {
  /** Registry contact handle, 3–16 characters (RFC 5730 clIDType). */
  id: string;
  name: string;
  org?: string;
  /** 1–3 lines. */
  street: string[];
  city: string;
  sp?: string;
  pc?: string;
  /** ISO 3166 alpha-2. */
  cc: string;
  /** +CC.NUMBER */
  voice?: string;
  fax?: string;
  email: string;
  /** `int` (7-bit ASCII) or `loc` (UTF-8) postal info. */
  postalType: 'int' | 'loc';
  disclose?: DiscloseFlags;
  authInfo?: string;
}

export type ContactRole = 'registrant' | 'admin' | 'tech' | 'billing';

/** The contacts for a domain; roles a registry does not take are absent (thin registries take none). */
export type DomainContacts = Partial<Record<ContactRole, RegistryContact>>;

/** A domain operation's input. */
export interface DomainRequest {
  domain: string;
  period?: number;
  nameservers?: string[];
  contacts?: DomainContacts;
  authInfo?: string;
  /** Idempotency key from the outbox, passed on where the registrar supports it (EPP clTRID). */
  requestId?: string;
}

/** One error shape for every registrar: a stable code, a message for the admin, and the registry's own code if any. */
export interface RegistrarError { code: string; message: string; registryCode?: number; retryable: boolean }

/** Every registrar call answers this. */
export type RegistrarResult<T = Record<string, unknown>> = { ok: true; data: T } | { ok: false; error: RegistrarError };

/** Domain facts a registrar reports (sync / info). */
export interface DomainInfo { domain: string; status: string[]; expiresAt?: string; nameservers?: string[]; locked?: boolean; contacts?: Partial<Record<ContactRole, string>> }

/** The functions a registrar module implements (names after WHMCS's RegisterDomain, TransferDomain, …). */
export interface RegistrarModule {
  readonly name: string;
  registerDomain(req: DomainRequest): Promise<RegistrarResult<{ expiresAt?: string }>>;
  transferDomain(req: DomainRequest & { authInfo: string }): Promise<RegistrarResult<{ status: string }>>;
  renewDomain(req: { domain: string; period: number; currentExpiry: string; requestId?: string }): Promise<RegistrarResult<{ expiresAt?: string }>>;
  getContactDetails(domain: string): Promise<RegistrarResult<{ contacts: DomainContacts }>>;
  saveContactDetails(req: { domain: string; contacts: DomainContacts; requestId?: string }): Promise<RegistrarResult>;
  /** Creates (or updates) contact objects ahead of a registration, for registries that hold contacts (EPP contact:create). */
  createContacts?(req: { contacts: DomainContacts; requestId?: string }): Promise<RegistrarResult>;
  /** Switches ID protection: the registrant module passes the contacts to publish (privacy service or the customer's own). */
  idProtectToggle(req: { domain: string; enabled: boolean; contacts: DomainContacts; requestId?: string }): Promise<RegistrarResult>;
  getNameservers(domain: string): Promise<RegistrarResult<{ nameservers: string[] }>>;
  saveNameservers(req: { domain: string; nameservers: string[]; requestId?: string }): Promise<RegistrarResult>;
  setRegistrarLock(req: { domain: string; locked: boolean; requestId?: string }): Promise<RegistrarResult>;
  /**
   * Places the domain on hold at the registry (EPP status clientHold: not published in DNS) or lifts it; idempotent,
   * `changed` says whether the registry's state moved. Optional: WHMCS registrar modules have no such function (WHMCS
   * suspends the domain itself), so a wrapper around one leaves it out and the panel acts instead.
   */
  setClientHold?(req: { domain: string; hold: boolean; requestId?: string }): Promise<RegistrarResult<{ changed: boolean }>>;
  getEppCode(domain: string): Promise<RegistrarResult<{ eppCode: string }>>;
  sync(domain: string): Promise<RegistrarResult<DomainInfo>>;
  /** Reads and acknowledges pending registry messages, if the protocol has a queue. */
  poll?(): Promise<RegistrarResult<{ messages: { id: string; text: string; at?: string }[] }>>;
  close?(): Promise<void>;
}
