<?php
// The addon's settings as WHMCS stores them in tbladdonmodules (module `privacysuite`), read at call time.

namespace WHMCS\Module\Addon\Privacysuite;

use WHMCS\Database\Capsule;

final class Settings
{
    /** The validation hooks with a fail mode each, and the setting that holds it. */
    const FAIL_MODE_SETTINGS = [
        'ShoppingCartValidateCheckout' => 'fail_mode_checkout',
        'ClientDetailsValidation' => 'fail_mode_details',
        'ContactDetailsValidation' => 'fail_mode_contact',
    ];

    /** The suite's base URL, without a trailing slash. */
    public string $suiteUrl;
    /** The brand's slug. */
    public string $brand;
    /** The brand's hook secret (never logged). */
    public string $hookSecret;
    /** @var array<string, string> every stored setting by name */
    private array $values;

    /** @param array<string, mixed> $values */
    private function __construct(array $values)
    {
        $this->values = [];
        foreach ($values as $name => $value) {
            $this->values[(string) $name] = $value === null ? '' : trim((string) $value);
        }
        $this->suiteUrl = rtrim($this->values['suite_url'] ?? '', '/');
        $this->brand = $this->values['brand'] ?? '';
        $this->hookSecret = $this->values['hook_secret'] ?? '';
    }

    /** The stored settings; null when suite_url (http or https), brand or hook_secret is missing. */
    public static function load(): ?Settings
    {
        $rows = Capsule::table('tbladdonmodules')->where('module', 'privacysuite')->pluck('value', 'setting');
        return self::fromArray(is_array($rows) ? $rows : $rows->all());
    }

    /** The same from given values (tests, or a caller that already read them); null when incomplete. */
    public static function fromArray(array $values): ?Settings
    {
        $s = new Settings($values);
        if ($s->brand === '' || $s->hookSecret === '' || !preg_match('~^https?://[^/\s]+~i', $s->suiteUrl)) {
            return null;
        }
        return $s;
    }

    /** A setting's value; $default when it is missing or empty. */
    public function get(string $name, $default = null)
    {
        $v = $this->values[$name] ?? '';
        return $v === '' ? $default : $v;
    }

    /** A yesno setting (WHMCS stores a ticked box as `on`). */
    public function isOn(string $name): bool
    {
        return in_array(strtolower((string) $this->get($name, '')), ['on', 'yes', '1', 'true'], true);
    }

    /** Seconds a whole call to the suite may take (timeout_seconds, default 5). */
    public function timeoutSeconds(): float
    {
        return $this->seconds('timeout_seconds', 5.0);
    }

    /** Seconds to connect to the suite (connect_timeout_seconds, default 2). */
    public function connectTimeoutSeconds(): float
    {
        return $this->seconds('connect_timeout_seconds', 2.0);
    }

    /** `open` or `closed` for a validation hook (unknown or unset: open). */
    public function failMode(string $hook): string
    {
        $setting = self::FAIL_MODE_SETTINGS[$hook] ?? '';
        return $setting !== '' && strtolower((string) $this->get($setting, 'open')) === 'closed' ? 'closed' : 'open';
    }

    /** The wrapped registrar module's name (letters, digits and _ only; '' when unset). */
    public function registrarModule(): string
    {
        $m = (string) $this->get('registrar_module', '');
        return preg_match('/^[A-Za-z0-9_]+$/', $m) ? $m : '';
    }

    private function seconds(string $name, float $default): float
    {
        $v = $this->get($name);
        return is_numeric($v) && (float) $v > 0 ? (float) $v : $default;
    }
}
