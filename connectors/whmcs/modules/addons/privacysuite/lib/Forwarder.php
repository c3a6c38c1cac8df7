<?php
/** Forwards one WHMCS hook to the suite: strips secrets, reduces objects, adds what WHMCS omits, answers in WHMCS's form. */

namespace WHMCS\Module\Addon\Privacysuite;

final class Forwarder
{
    /** Keys dropped wherever they occur (any depth, any case): passwords, card and bank data, security answers, two-factor data (authdata), tokens. */
    const SECRET_KEYS = [
        'password', 'password2', 'loginpassword', 'newpassword', 'confirmpw', 'client_password',
        'ccnumber', 'cccvv', 'cardnum', 'cardcvv', 'cvv', 'cvc', 'ccexpirymonth', 'ccexpiryyear', 'ccexpirydate',
        'cardexp', 'ccstartmonth', 'ccstartyear', 'cardstart', 'ccissuenum', 'cardissuenum', 'issuenumber',
        'bankacct', 'bankcode', 'banktype', 'bankname', 'gatewayid', 'storedcc',
        'securityqans', 'pwresetkey', 'pwresetexpiry', 'remember_token', 'authdata', 'second_factor',
        'second_factor_config', 'totp_secret', 'api_key', 'apikey', 'secret', 'token', 'access_token',
    ];
    /** Key fragments dropped as well (`client_password`, `card_cvv`, `someSecret`, …). */
    const SECRET_FRAGMENTS = ['password', 'passwd', 'cvv', 'ccnumber', 'cardnum', 'secret', 'token', 'securityqans'];
    /**
     * The registrar parameters kept in a hook's `params` (registrar-params.json, without `eppcode`): everything else
     * there is the registrar module's own settings (API users, keys) and never leaves WHMCS. `original` is kept the same
     * way; `domainObj` is reduced to plain data.
     */
    const REGISTRAR_PARAMS = [
        'userid', 'domainid', 'sld', 'tld', 'regperiod', 'ns1', 'ns2', 'ns3', 'ns4', 'ns5',
        'firstname', 'lastname', 'fullname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'fullstate',
        'postcode', 'countrycode', 'countryname', 'phonenumber', 'phonecc', 'fullphonenumber', 'additionalfields',
        'adminfirstname', 'adminlastname', 'admincompanyname', 'adminemail', 'adminaddress1', 'adminaddress2', 'admincity',
        'adminstate', 'adminfullstate', 'adminpostcode', 'admincountry', 'adminphonenumber', 'adminfullphonenumber',
        'dnsmanagement', 'emailforwarding', 'idprotection', 'premiumEnabled', 'premiumCost', 'isInGracePeriod',
        'isInRedemptionGracePeriod', 'idnlanguage', 'domain_punycode', 'sld_punycode', 'tld_punycode', 'is_idn',
        'contactdetails', 'protectenable', 'domainObj',
    ];
    /** How deep nested arrays and objects are kept. */
    const MAX_DEPTH = 8;
    /** The window in which a re-fired WINDOW hook with the same vars is the same event. */
    const WINDOW_SECONDS = 300;

    /** @var SuiteClient */
    private $client;
    /** @var Settings */
    private $settings;
    /** @var Queue */
    private $queue;

    public function __construct(Settings $settings, SuiteClient $client, Queue $queue)
    {
        $this->settings = $settings;
        $this->client = $client;
        $this->queue = $queue;
    }

    /**
     * Forwards $hook with the vars WHMCS passed and returns WHMCS's answer for it.
     *
     * @param array<string, mixed> $vars already completed by Additions
     * @param array<string, string> $context
     * @return mixed
     */
    public function forward(string $hook, array $vars, array $context, ?int $now = null)
    {
        $now = $now === null ? time() : $now;
        $clean = self::sanitize(self::registrarParams(HookMap::kept($hook, $vars)));
        $payload = ['brand' => $this->settings->brand, 'vars' => is_array($clean) ? $clean : [], 'context' => (object) $context];
        $key = self::idempotencyKey($hook, $payload['vars'], $now);
        $answerType = HookMap::answer($hook);
        $path = '/api/v1/hooks/' . $hook;

        if ($answerType === HookMap::AFTER && $this->queue->hasWaiting()) {
            // Keep order: while older events wait, a new one queues behind them.
            $this->queue->enqueue($hook, $payload, (string) $key, $now);
            return null;
        }
        $res = $this->client->post($path, $payload, $key);
        $status = (int) ($res['status'] ?? 0);
        $ok = ($status >= 200 && $status < 300) || self::alreadyTaken($res);
        if (!$ok) {
            self::log('forward ' . $hook, ['status' => $status, 'error' => self::errorCode($res)]);
        }
        switch ($answerType) {
            case HookMap::VALIDATION:
                return $ok ? self::errors($res['body'] ?? null) : $this->failMode($hook);
            case HookMap::ABORT:
                return $ok ? self::abort($res['body'] ?? null) : [];
            case HookMap::EMAIL:
                return $ok ? self::mergeFields($res['body'] ?? null) : $this->emailFailMode($vars);
            default:
                if (!$ok && self::retryable($status)) {
                    $this->queue->enqueue($hook, $payload, (string) $key, $now, self::errorCode($res));
                } elseif (!$ok) {
                    $this->queue->recordRejected($hook, $payload, (string) $key, $now, self::errorCode($res));
                }
                return null;
        }
    }

    /**
     * The suite already took this event with another body under the same key (409 SUITE_IDEMPOTENCY_MISMATCH): the same
     * event re-fired from another request (another IP or language). Nothing to send again.
     *
     * @param array<string, mixed> $res
     */
    public static function alreadyTaken(array $res): bool
    {
        $body = $res['body'] ?? null;
        return (int) ($res['status'] ?? 0) === 409 && is_array($body) && ($body['code'] ?? null) === 'SUITE_IDEMPOTENCY_MISMATCH';
    }

    /**
     * The vars with `params` (and its `original`) cut to the documented registrar parameters.
     *
     * @param array<string, mixed> $vars
     * @return array<string, mixed>
     */
    public static function registrarParams(array $vars): array
    {
        if (!isset($vars['params']) || !is_array($vars['params'])) {
            return $vars;
        }
        $keep = array_flip(self::REGISTRAR_PARAMS);
        $params = array_intersect_key($vars['params'], $keep);
        if (isset($vars['params']['original']) && is_array($vars['params']['original'])) {
            $params['original'] = array_intersect_key($vars['params']['original'], $keep);
        }
        $vars['params'] = $params;
        return $vars;
    }

    /** Transport failures, timeouts, throttling and server errors are worth re-sending; other 4xx are not. */
    public static function retryable(int $status): bool
    {
        return $status === 0 || $status === 408 || $status === 425 || $status === 429 || $status >= 500;
    }

    /**
     * Plain data with secrets removed: arrays recursively, objects reduced (toArray / jsonSerialize / public
     * properties; dates as ISO 8601), resources and closures dropped.
     *
     * @param mixed $value
     * @return mixed null when nothing is left to send
     */
    public static function sanitize($value, int $depth = 0)
    {
        if ($depth > self::MAX_DEPTH) {
            return null;
        }
        if (is_object($value)) {
            $value = self::reduce($value);
        }
        if (is_array($value)) {
            $out = [];
            foreach ($value as $k => $v) {
                if (is_string($k) && self::isSecret($k)) {
                    continue;
                }
                $clean = self::sanitize($v, $depth + 1);
                if ($clean !== null || $v === null) {
                    $out[$k] = $clean;
                }
            }
            return $out;
        }
        if (is_scalar($value) || $value === null) {
            return $value;
        }
        return null;
    }

    /**
     * An object as plain data: a date as an ISO 8601 string, else toArray(), jsonSerialize() or its public properties.
     *
     * @return mixed
     */
    public static function reduce($object)
    {
        if ($object instanceof \DateTimeInterface) {
            return $object->format(\DateTime::ATOM);
        }
        if ($object instanceof \Closure) {
            return null;
        }
        try {
            if (method_exists($object, 'toArray')) {
                $data = $object->toArray();
            } elseif ($object instanceof \JsonSerializable) {
                $data = $object->jsonSerialize();
            } else {
                $data = get_object_vars($object);
            }
        } catch (\Throwable $e) {
            return null;
        }
        if (is_object($data)) {
            $data = get_object_vars($data);
        }
        return is_array($data) || is_scalar($data) ? $data : null;
    }

    public static function isSecret(string $key): bool
    {
        $k = strtolower($key);
        if (in_array($k, self::SECRET_KEYS, true)) {
            return true;
        }
        foreach (self::SECRET_FRAGMENTS as $fragment) {
            if (strpos($k, $fragment) !== false) {
                return true;
            }
        }
        return false;
    }

    /**
     * JSON with object keys sorted at every depth, so the same data always gives the same text.
     *
     * @param mixed $value
     */
    public static function canonicalJson($value): string
    {
        return (string) json_encode(self::sortKeys($value), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_PARTIAL_OUTPUT_ON_ERROR);
    }

    /**
     * The Idempotency-Key of an event: sha256 of the hook, the forwarded vars (canonical JSON) and a discriminator —
     * empty for ONCE hooks (their vars name the event), the 5-minute window for WINDOW hooks. NONE hooks get none.
     *
     * @param array<string, mixed> $vars
     */
    public static function idempotencyKey(string $hook, array $vars, int $now): ?string
    {
        $kind = HookMap::discriminator($hook);
        if ($kind === HookMap::NONE) {
            return null;
        }
        $discriminator = $kind === HookMap::WINDOW ? (string) intdiv($now, self::WINDOW_SECONDS) : '';
        return 'whmcs-' . hash('sha256', $hook . "\n" . self::canonicalJson($vars) . "\n" . $discriminator);
    }

    /**
     * A validation hook's answer: the suite's error strings.
     *
     * @param mixed $body
     * @return string[]
     */
    public static function errors($body): array
    {
        $errors = is_array($body) && isset($body['errors']) && is_array($body['errors']) ? $body['errors'] : [];
        return array_values(array_map('strval', array_filter($errors, 'is_scalar')));
    }

    /**
     * A PreRegistrar* answer: abortWithError / abortWithSuccess, or nothing to carry on.
     *
     * @param mixed $body
     * @return array<string, mixed>
     */
    public static function abort($body): array
    {
        if (!is_array($body)) {
            return [];
        }
        if (isset($body['abortWithError']) && is_scalar($body['abortWithError']) && (string) $body['abortWithError'] !== '') {
            return ['abortWithError' => (string) $body['abortWithError']];
        }
        if (!empty($body['abortWithSuccess'])) {
            return ['abortWithSuccess' => true];
        }
        return [];
    }

    /**
     * EmailPreSend's answer: the suite's merge fields flattened into WHMCS's array, plus abortsend when told.
     *
     * @param mixed $body
     * @return array<string, mixed>
     */
    public static function mergeFields($body): array
    {
        if (!is_array($body)) {
            return [];
        }
        $out = [];
        if (isset($body['mergefields']) && is_array($body['mergefields'])) {
            foreach ($body['mergefields'] as $name => $value) {
                if (is_string($name) && $name !== 'abortsend') {
                    $out[$name] = $value;
                }
            }
        }
        if (!empty($body['abortsend'])) {
            $out['abortsend'] = true;
        }
        return $out;
    }

    /**
     * A validation hook's answer when the suite did not answer: [] (open) or one error telling the customer to retry.
     *
     * @return string[]
     */
    public function failMode(string $hook): array
    {
        $setting = HookMap::failModeSetting($hook);
        $mode = $setting === null ? 'open' : strtolower((string) $this->settings->get($setting, 'open'));
        if ($mode !== 'closed') {
            return [];
        }
        return [self::unavailableMessage()];
    }

    /**
     * EmailPreSend's answer when the suite did not answer. With `fail_mode_email` closed (the default) only a template
     * the suite classes transactional (its last cached answer) goes out; any other is held back (abortsend), since it
     * may be marketing to someone who opted out. With it open, or before the suite was ever reached (nothing is known of
     * the templates), the message goes out; both are logged.
     *
     * @param array<string, mixed> $vars
     * @return array<string, mixed>
     */
    public function emailFailMode(array $vars): array
    {
        $template = isset($vars['messagename']) && is_scalar($vars['messagename']) ? (string) $vars['messagename'] : '';
        if (strtolower((string) $this->settings->get('fail_mode_email', 'closed')) === 'open') {
            return [];
        }
        $transactional = Documents::transactional($this->settings);
        if ($transactional === null) {
            self::log('EmailPreSend unclassified', ['template' => $template, 'sent' => 'no template classes cached yet']);
            return [];
        }
        if (in_array($template, $transactional, true)) {
            return [];
        }
        self::log('EmailPreSend held back', ['template' => $template]);
        return ['abortsend' => true];
    }

    /** The customer-facing "try again" text in the client's language (the addon's lang files), or plain English. */
    public static function unavailableMessage(): string
    {
        if (class_exists(Lang::class)) {
            $text = Lang::forClient()->get('validation_unavailable');
            if ($text !== 'validation_unavailable') {
                return $text;
            }
        }
        return 'We cannot check your details right now. Please try again in a few minutes.';
    }

    /**
     * A short error tag without personal data: the suite's error code or the transport error class.
     *
     * @param array<string, mixed> $res
     */
    public static function errorCode(array $res): string
    {
        $status = (int) ($res['status'] ?? 0);
        $body = $res['body'] ?? null;
        $code = is_array($body) && isset($body['code']) && is_string($body['code']) && preg_match('/^[A-Z0-9_]{1,64}$/', $body['code']) === 1
            ? ' ' . $body['code'] : '';
        return $status === 0 ? 'transport error' : 'HTTP ' . $status . $code;
    }

    /** @param array<string, mixed> $data no personal data, no secrets */
    public static function log(string $action, array $data): void
    {
        if (function_exists('logModuleCall')) {
            logModuleCall('privacysuite', $action, $data, '', '', []);
        }
    }

    /** @param mixed $value @return mixed */
    private static function sortKeys($value)
    {
        if (!is_array($value)) {
            return $value;
        }
        $isList = $value === [] || array_keys($value) === range(0, count($value) - 1);
        if (!$isList) {
            ksort($value, SORT_STRING);
        }
        foreach ($value as $k => $v) {
            $value[$k] = self::sortKeys($v);
        }
        return $value;
    }
}
