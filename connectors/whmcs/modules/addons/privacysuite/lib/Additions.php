<?php
/** What WHMCS does not pass to a hook but the suite needs: form choices, shown versions, the client, the request context. */

namespace WHMCS\Module\Addon\Privacysuite;

final class Additions
{
    /** WHMCS language names (session / client setting) to the suite's locales. */
    const LOCALES = [
        'english' => 'en', 'german' => 'de', 'french' => 'fr', 'spanish' => 'es', 'russian' => 'ru', 'arabic' => 'ar',
        'italian' => 'it', 'dutch' => 'nl', 'portuguese-pt' => 'pt', 'portuguese-br' => 'pt', 'polish' => 'pl',
        'turkish' => 'tr', 'swedish' => 'sv', 'danish' => 'da', 'norwegian' => 'no', 'czech' => 'cs', 'hungarian' => 'hu',
        'ukranian' => 'uk', 'ukrainian' => 'uk', 'chinese' => 'zh', 'japanese' => 'ja', 'farsi' => 'fa', 'hebrew' => 'he',
        'catalan' => 'ca', 'croatian' => 'hr', 'estonian' => 'et', 'azerbaijani' => 'az', 'romanian' => 'ro',
    ];

    /** The contact form's fields (ContactDetailsValidation) taken from the post where WHMCS's vars lack them. */
    const CONTACT_FIELDS = [
        'contactid', 'firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode',
        'country', 'phonenumber', 'tax_id', 'generalemails', 'productemails', 'domainemails', 'invoiceemails',
        'supportemails', 'affiliateemails', 'subaccount', 'permissions',
    ];

    /**
     * The vars with the additions the hook needs (HookMap), from the request's form post and session.
     * $lookup($what, $id) reads WHMCS's records: ('order_client', OrderID) → client id, ('client_tax_id', userid) → tax id,
     * ('client_language', client id) → language, ('user_client', user id) → the user's only client,
     * ('invoices', userid) → the client's invoices, ('invoice', invoice id) → its userid and datepaid,
     * ('service_end', service id) → its nextduedate and the client's other running services; null when unknown.
     *
     * @param array<string, mixed> $vars
     * @param array<string, mixed> $post
     * @param array<string, mixed> $session
     * @return array<string, mixed>
     */
    public static function apply(string $hook, array $vars, array $post, array $session, bool $adminArea, callable $lookup): array
    {
        $adds = HookMap::additions($hook);
        $sessionClient = self::positiveInt($session['uid'] ?? null);
        if (in_array(HookMap::ADD_SESSION_CLIENT, $adds, true) && $sessionClient !== null && !isset($vars['userid'])) {
            $vars['userid'] = $sessionClient;
        }
        if (in_array(HookMap::ADD_USER_CLIENT, $adds, true) && !isset($vars['userid'])) {
            // No client chosen in the session (a user with several clients picks one after the login): only a user
            // with exactly one client names it.
            $userId = self::positiveInt(self::userId($vars['user'] ?? null));
            $client = $userId === null ? null : $lookup(HookMap::ADD_USER_CLIENT, $userId);
            if (is_int($client)) {
                $vars['userid'] = $client;
            }
        }
        if (in_array(HookMap::ADD_ORDER_CLIENT, $adds, true) && !isset($vars['userid'])) {
            $orderId = self::positiveInt($vars['OrderID'] ?? null);
            $client = $orderId === null ? null : $lookup(HookMap::ADD_ORDER_CLIENT, $orderId);
            if ($client !== null) {
                $vars['userid'] = $client;
            }
        }
        if (in_array(HookMap::ADD_CLIENT_TAX_ID, $adds, true) && !array_key_exists('tax_id', $vars)) {
            $client = self::positiveInt($vars['userid'] ?? null);
            $taxId = $client === null ? null : $lookup(HookMap::ADD_CLIENT_TAX_ID, $client);
            if (is_string($taxId)) {
                $vars['tax_id'] = $taxId;
            }
        }
        if (in_array(HookMap::ADD_CLIENT_LANGUAGE, $adds, true) && !isset($vars['language'])) {
            $client = self::positiveInt($vars['client_id'] ?? ($vars['userid'] ?? null));
            $language = $client === null ? null : $lookup(HookMap::ADD_CLIENT_LANGUAGE, $client);
            if (is_string($language) && $language !== '') {
                $vars['language'] = $language;
            }
        }
        if (in_array(HookMap::ADD_INVOICES, $adds, true) && !isset($vars['invoices'])) {
            $client = self::positiveInt($vars['userid'] ?? null);
            $invoices = $client === null ? null : $lookup(HookMap::ADD_INVOICES, $client);
            if (is_array($invoices)) {
                $vars['invoices'] = array_values($invoices);
            }
        }
        if (in_array(HookMap::ADD_INVOICE, $adds, true)) {
            // WHMCS's invoice object carries billing data (items, amounts, the client's address) the suite does not
            // need: only the client and the payment time go, read from tblinvoices.
            unset($vars['invoice']);
            $invoiceId = self::positiveInt($vars['invoiceid'] ?? null);
            $invoice = $invoiceId === null ? null : $lookup(HookMap::ADD_INVOICE, $invoiceId);
            if (is_array($invoice)) {
                foreach (['userid', 'datepaid'] as $name) {
                    if (isset($invoice[$name]) && !isset($vars[$name])) {
                        $vars[$name] = $invoice[$name];
                    }
                }
            }
        }
        if (in_array(HookMap::ADD_SERVICE_END, $adds, true)) {
            $serviceId = self::positiveInt($vars['relid'] ?? null);
            $service = $serviceId === null ? null : $lookup(HookMap::ADD_SERVICE_END, $serviceId);
            if (is_array($service)) {
                foreach (['nextduedate', 'services_running'] as $name) {
                    if (isset($service[$name]) && !isset($vars[$name])) {
                        $vars[$name] = $service[$name];
                    }
                }
            }
        }
        if (in_array(HookMap::ADD_POSTED_CONTACT, $adds, true)) {
            foreach (self::CONTACT_FIELDS as $field) {
                if (!array_key_exists($field, $vars) && array_key_exists($field, $post)
                    && (is_scalar($post[$field]) || is_array($post[$field]))) {
                    $vars[$field] = $post[$field];
                }
            }
        }
        // Form choices only exist where a customer submitted the registration or checkout form (accepttos=on → true,
        // absent → false): not in the admin area or the API, not on an existing client's details edit (no terms box
        // there; ClientEdit carries accepttos only when the posted form had the box, e.g. to accept newer terms).
        $formPosted = !$adminArea && !empty($post);
        $isEdit = ($hook === 'ClientDetailsValidation' && $sessionClient !== null)
            || ($hook === 'ClientEdit' && !array_key_exists('accepttos', $post));
        if ($formPosted && !$isEdit) {
            if (in_array(HookMap::ADD_TERMS, $adds, true) && !array_key_exists('accepttos', $vars)) {
                $vars['accepttos'] = self::ticked($post['accepttos'] ?? null);
            }
            if (in_array(HookMap::ADD_MARKETING, $adds, true) && !array_key_exists('marketing_emails_opt_in', $vars)) {
                $vars['marketing_emails_opt_in'] = self::ticked($post['marketingoptin'] ?? null);
            }
        }
        if (!$adminArea && in_array(HookMap::ADD_BIRTH_DATE, $adds, true) && !isset($vars['date_of_birth'])
            && isset($post['date_of_birth']) && is_string($post['date_of_birth'])
            && preg_match('/^\d{4}-\d{2}-\d{2}$/', $post['date_of_birth']) === 1) {
            $vars['date_of_birth'] = $post['date_of_birth'];
        }
        if (!$adminArea && in_array(HookMap::ADD_SHOWN, $adds, true)) {
            foreach (['terms' => 'privacysuite_terms_version', 'privacy' => 'privacysuite_privacy_version'] as $kind => $field) {
                $shown = self::version($post[$field] ?? null);
                if ($shown !== null && !isset($vars[$kind . '_version_shown'])) {
                    $vars[$kind . '_version_shown'] = $shown;
                }
            }
        }
        return $vars;
    }

    /**
     * The request context: ip, user agent and the client's locale (session language); empty parts left out.
     *
     * @param array<string, mixed> $server
     * @param array<string, mixed> $session
     * @return array<string, string>
     */
    public static function context(array $server, array $session): array
    {
        $context = [];
        $ip = isset($server['REMOTE_ADDR']) && is_string($server['REMOTE_ADDR']) ? $server['REMOTE_ADDR'] : '';
        if (filter_var($ip, FILTER_VALIDATE_IP) !== false) {
            $context['ip'] = $ip;
        }
        $ua = isset($server['HTTP_USER_AGENT']) && is_string($server['HTTP_USER_AGENT']) ? $server['HTTP_USER_AGENT'] : '';
        if ($ua !== '') {
            $context['userAgent'] = substr($ua, 0, 500);
        }
        $locale = self::locale($session['Language'] ?? null);
        if ($locale !== null) {
            $context['locale'] = $locale;
        }
        return $context;
    }

    /** The suite locale for a WHMCS language name ('german' → 'de'); an ISO code passes through. */
    public static function locale($language): ?string
    {
        if (!is_string($language) || $language === '') {
            return null;
        }
        $name = strtolower(trim($language));
        if (isset(self::LOCALES[$name])) {
            return self::LOCALES[$name];
        }
        return preg_match('/^[a-z]{2}$/', $name) === 1 ? $name : null;
    }

    /** A checkbox as browsers post it: 'on', '1', 'yes', 'true' are ticked; anything else (or absent) is not. */
    public static function ticked($value): bool
    {
        if (is_bool($value)) {
            return $value;
        }
        if (!is_scalar($value)) {
            return false;
        }
        return in_array(strtolower((string) $value), ['on', '1', 'yes', 'true'], true);
    }

    private static function version($value): ?string
    {
        if (!is_string($value)) {
            return null;
        }
        $v = trim($value);
        return $v !== '' && strlen($v) <= 32 ? $v : null;
    }

    /**
     * The id of UserLogin's user (a WHMCS\\User\\User model or its array form).
     *
     * @return mixed
     */
    private static function userId($user)
    {
        if (is_array($user)) {
            return $user['id'] ?? null;
        }
        if (is_object($user)) {
            try {
                return isset($user->id) ? $user->id : null;
            } catch (\Throwable $e) {
                return null;
            }
        }
        return null;
    }

    private static function positiveInt($value): ?int
    {
        if (is_int($value) && $value > 0) {
            return $value;
        }
        if (is_string($value) && preg_match('/^[1-9][0-9]{0,18}$/', $value) === 1) {
            return (int) $value;
        }
        return null;
    }
}
