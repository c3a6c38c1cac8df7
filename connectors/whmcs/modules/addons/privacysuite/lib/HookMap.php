<?php
/** The hooks the suite binds, and how the hook file forwards and answers each (a static copy of the suite's catalogue). */

namespace WHMCS\Module\Addon\Privacysuite;

final class HookMap
{
    /** Answer types: WHMCS's own return form for each hook. */
    const VALIDATION = 'validation';   // array of error strings
    const ABORT = 'abort';             // abortWithError / abortWithSuccess
    const EMAIL = 'email';             // flat merge fields plus abortsend
    const AFTER = 'after';             // nothing; queued when the suite cannot take it

    /** Idempotency discriminators (see docs/whmcs.md, "The hook file"). */
    const ONCE = 'once';               // the vars name the event (an order, an invoice, a new client): same vars, same event
    const WINDOW = 'window';           // may recur with the same vars (an edit back and forth, a renewal): same vars within 5 minutes
    const NONE = 'none';               // no key: a question asked afresh each time

    /** Additions: what WHMCS does not pass but the suite needs (Additions.php). */
    const ADD_TERMS = 'terms';         // accepttos from the form post (registration and checkout only)
    const ADD_MARKETING = 'marketing'; // marketing_emails_opt_in from marketingoptin=1
    const ADD_SHOWN = 'shown';         // terms_version_shown / privacy_version_shown from the connector's hidden inputs
    const ADD_SESSION_CLIENT = 'session_client'; // userid of the logged-in client
    const ADD_ORDER_CLIENT = 'order_client';     // userid of the order (OrderID)
    const ADD_BIRTH_DATE = 'birth_date';         // date_of_birth (YYYY-MM-DD) where the shop's form has that field
    const ADD_CLIENT_TAX_ID = 'client_tax_id';   // tax_id of the client record (ClientEdit leaves it out)
    const ADD_CLIENT_LANGUAGE = 'client_language'; // language of the new client's record (ClientAdd leaves it out)
    const ADD_USER_CLIENT = 'user_client';       // userid of the logged-in user's only client when the session names none
    const ADD_POSTED_CONTACT = 'posted_contact'; // the contact form's posted fields WHMCS left out of the vars
    const ADD_INVOICES = 'invoices';             // the client's invoices (tblinvoices), read before WHMCS deletes them
    const ADD_INVOICE = 'invoice';               // userid and datepaid of the paid invoice (tblinvoices); its object dropped
    const ADD_SERVICE_END = 'service_end';       // nextduedate of the cancelled service, the client's other running services

    /**
     * Not forwarded: DailyCronJob and InvoiceCreated (no binding reads them from WHMCS: forwarding them would only cost a
     * request). InvoicePaid and CancellationRequest feed retention's invoice-paid and service-ended events; TicketOpen and
     * TicketUserReply tell it WHMCS holds correspondence of the client (ids only, see ONLY).
     *
     * hook => [answer type, idempotency discriminator, additions, fail-mode setting (validation only)].
     * @var array<string, array{0:string,1:string,2:string[],3:?string}>
     */
    const HOOKS = [
        'ClientAdd' => [self::AFTER, self::ONCE, [self::ADD_CLIENT_LANGUAGE, self::ADD_TERMS, self::ADD_SHOWN], null],
        'ClientEdit' => [self::AFTER, self::WINDOW, [self::ADD_CLIENT_TAX_ID, self::ADD_TERMS, self::ADD_SHOWN], null],
        'ClientClose' => [self::AFTER, self::WINDOW, [], null],
        'PreDeleteClient' => [self::AFTER, self::ONCE, [self::ADD_INVOICES], null],
        'ClientDetailsValidation' => [self::VALIDATION, self::NONE,
            [self::ADD_SESSION_CLIENT, self::ADD_TERMS, self::ADD_MARKETING, self::ADD_SHOWN, self::ADD_BIRTH_DATE], 'fail_mode_details'],
        'ContactDetailsValidation' => [self::VALIDATION, self::NONE,
            [self::ADD_SESSION_CLIENT, self::ADD_POSTED_CONTACT, self::ADD_BIRTH_DATE], 'fail_mode_contact'],
        'ContactAdd' => [self::AFTER, self::ONCE, [], null],
        'ContactEdit' => [self::AFTER, self::WINDOW, [], null],
        'ContactDelete' => [self::AFTER, self::ONCE, [], null],
        'ShoppingCartValidateCheckout' => [self::VALIDATION, self::NONE,
            [self::ADD_SESSION_CLIENT, self::ADD_TERMS, self::ADD_MARKETING, self::ADD_SHOWN, self::ADD_BIRTH_DATE], 'fail_mode_checkout'],
        'AfterShoppingCartCheckout' => [self::AFTER, self::ONCE,
            [self::ADD_ORDER_CLIENT, self::ADD_TERMS, self::ADD_MARKETING, self::ADD_SHOWN], null],
        'PreRegistrarRegisterDomain' => [self::ABORT, self::WINDOW, [], null],
        'PreRegistrarTransferDomain' => [self::ABORT, self::WINDOW, [], null],
        'AfterRegistrarRegistration' => [self::AFTER, self::ONCE, [], null],
        'AfterRegistrarRenewal' => [self::AFTER, self::WINDOW, [], null],
        'AfterRegistrarTransfer' => [self::AFTER, self::ONCE, [], null],
        'AfterRegistrarSaveContactDetails' => [self::AFTER, self::WINDOW, [], null],
        'EmailPreSend' => [self::EMAIL, self::NONE, [], null],
        'UserLogin' => [self::AFTER, self::WINDOW, [self::ADD_SESSION_CLIENT, self::ADD_USER_CLIENT], null],
        'InvoicePaid' => [self::AFTER, self::ONCE, [self::ADD_INVOICE], null],
        'CancellationRequest' => [self::AFTER, self::ONCE, [self::ADD_SERVICE_END], null],
        'TicketOpen' => [self::AFTER, self::ONCE, [], null],
        'TicketUserReply' => [self::AFTER, self::ONCE, [], null],
    ];

    /**
     * Hooks forwarded with only these vars (minimisation): a ticket's subject, message and attachments never leave WHMCS;
     * the suite only records that WHMCS holds correspondence of the client (MS-9 retention).
     *
     * @var array<string, string[]>
     */
    const ONLY = [
        'TicketOpen' => ['ticketid', 'ticketmask', 'userid', 'deptid'],
        'TicketUserReply' => ['ticketid', 'replyid', 'userid', 'deptid'],
    ];

    /** @return string[] the hook names forwarded to the suite */
    public static function names(): array
    {
        return array_keys(self::HOOKS);
    }

    public static function has(string $hook): bool
    {
        return isset(self::HOOKS[$hook]);
    }

    public static function answer(string $hook): string
    {
        return self::HOOKS[$hook][0];
    }

    public static function discriminator(string $hook): string
    {
        return self::HOOKS[$hook][1];
    }

    /** @return string[] */
    public static function additions(string $hook): array
    {
        return self::HOOKS[$hook][2];
    }

    /**
     * The vars of $hook cut to what it forwards (all of them for a hook without an ONLY list).
     *
     * @param array<string, mixed> $vars
     * @return array<string, mixed>
     */
    public static function kept(string $hook, array $vars): array
    {
        return isset(self::ONLY[$hook]) ? array_intersect_key($vars, array_flip(self::ONLY[$hook])) : $vars;
    }

    public static function failModeSetting(string $hook): ?string
    {
        return self::HOOKS[$hook][3];
    }
}
