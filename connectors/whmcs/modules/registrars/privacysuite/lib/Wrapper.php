<?php
/**
 * The registrar wrapper's work: which real module it wraps, asking the suite for the contacts, and calling the real
 * module with its own settings. Errors of the suite answer WHMCS's error form without personal data.
 */

namespace WHMCS\Module\Registrar\Privacysuite;

use WHMCS\Module\Addon\Privacysuite\Settings;
use WHMCS\Module\Addon\Privacysuite\SuiteClient;

/** An exception thrown by the real registrar module (kept as `previous`), told apart from the wrapper's own. */
final class WrappedModuleFailure extends \RuntimeException
{
}

final class Wrapper
{
    /** Functions whose contacts the suite decides, with the domain status the contacts endpoint records. */
    const CONTACT_FUNCTIONS = ['RegisterDomain' => 'registering', 'TransferDomain' => 'transferring', 'SaveContactDetails' => 'registered', 'IDProtectToggle' => null];

    /** Functions WHMCS expects to throw on failure (their answer is an object, not `['error' => …]`). */
    const THROWING_FUNCTIONS = ['CheckAvailability', 'GetDomainSuggestions', 'GetDomainInformation', 'GetTldPricing'];

    /** The wrapper's own settings (registrar configuration) and the addon's, both may name the real module. */
    const OWN_SETTINGS = ['wrapped_module', 'suite_unreachable'];

    /** Runs `$function` for WHMCS: contacts from the suite where they matter, then the real module. */
    public static function run($function, array $params)
    {
        $module = self::wrappedModule($params);
        if ($module === null) {
            return ['error' => 'Privacy Suite: no registrar module to wrap is configured (registrar setting wrapped_module)'];
        }
        if (array_key_exists($function, self::CONTACT_FUNCTIONS)) {
            $prepared = self::withSuiteContacts($function, $params);
            if (isset($prepared['refused'])) {
                return ['error' => $prepared['refused']];
            }
            $params = $prepared['params'];
        }
        return self::call($module, $function, $params);
    }

    /** The real module's system name: the registrar setting, else the addon's `registrar_module`; never this module. */
    private static function wrappedModule(array $params)
    {
        $name = isset($params['wrapped_module']) ? trim((string) $params['wrapped_module']) : '';
        if ($name === '') {
            $settings = self::settings();
            $name = $settings === null ? '' : trim((string) $settings->get('registrar_module', ''));
        }
        $name = strtolower($name);
        if ($name === '' || $name === 'privacysuite' || !preg_match('/^[a-z0-9_]+$/', $name)) {
            return null;
        }
        return $name;
    }

    /** The WHMCS root: ROOTDIR where WHMCS defines it, else three folders up from this module. */
    private static function root()
    {
        return defined('ROOTDIR') ? ROOTDIR : dirname(__DIR__, 4);
    }

    /** The addon's settings (null when the addon is not configured). */
    private static function settings()
    {
        if (!class_exists('WHMCS\\Module\\Addon\\Privacysuite\\SuiteClient')) {
            $lib = self::root() . '/modules/addons/privacysuite/lib/';
            if (!is_file($lib . 'Settings.php') || !is_file($lib . 'SuiteClient.php')) {
                return null;
            }
            require_once $lib . 'Settings.php';
            require_once $lib . 'SuiteClient.php';
        }
        return Settings::load();
    }

    /**
     * Asks the suite for the contacts and puts them in the parameters. On a transport failure (or the addon not
     * configured) the registrar setting `suite_unreachable` decides: refuse (the default) or the own contacts.
     * Answers `['params' => …]`, or `['refused' => message]` when nothing may be sent.
     */
    private static function withSuiteContacts($function, array $params)
    {
        $settings = self::settings();
        $answer = $settings === null ? ['status' => 0, 'body' => null, 'error' => 'not configured'] : self::ask($settings, $function, $params);
        $status = (int) $answer['status'];
        if ($status === 0 || $status >= 500) {
            self::log($function, 'suite unreachable (' . ($status === 0 ? 'transport' : 'HTTP ' . $status) . ')');
            $mode = isset($params['suite_unreachable']) ? strtolower(trim((string) $params['suite_unreachable'])) : 'refuse';
            if ($mode === 'own') {
                return ['params' => $params];
            }
            return ['refused' => 'Privacy Suite: the suite could not be reached, so no contacts were sent to the registrar; retry later'];
        }
        $body = is_array($answer['body']) ? $answer['body'] : [];
        if ($status !== 200 || empty($body['ok'])) {
            $code = isset($body['code']) && is_string($body['code']) && preg_match('/^[A-Z0-9_]{1,64}$/', $body['code']) ? $body['code'] : 'HTTP ' . $status;
            self::log($function, 'suite refused the contacts (' . $code . ')');
            return ['refused' => 'Privacy Suite: the suite refused the contacts (' . $code . ')'];
        }
        self::log($function, 'contacts from the suite' . (!empty($body['idProtection']) ? ' (ID protection on)' : ''));
        // ID protection off: the contacts are the customer's own, which WHMCS already put in $params (and in
        // `original` before transliteration); ID protection on: the suite's contacts replace them everywhere.
        if (!empty($body['idProtection']) && isset($body['contacts']) && is_array($body['contacts'])) {
            return ['params' => Contacts::substitute($params, $body['contacts'])];
        }
        return ['params' => $params];
    }

    /** The signed request: `/registrant/contacts` (with the domain's status) or `/registrant/id-protection`. */
    private static function ask(Settings $settings, $function, array $params)
    {
        $payload = ['brand' => $settings->brand, 'params' => Contacts::forSuite($function, $params)];
        $path = '/api/v1/registrant/contacts';
        if ($function === 'IDProtectToggle') {
            $path = '/api/v1/registrant/id-protection';
            $on = isset($params['protectenable']) ? $params['protectenable'] : false;
            $payload['params']['protectenable'] = $on === true || $on === 1 || $on === '1' || $on === 'on' || $on === 'true';
        } else {
            $payload['status'] = self::CONTACT_FUNCTIONS[$function];
        }
        $client = new SuiteClient($settings);
        return $client->post($path, $payload);
    }

    /** Calls `<module>_<function>` with the module's own settings merged in; a missing function answers WHMCS's error form. */
    public static function call($module, $function, array $params)
    {
        $fn = $module . '_' . $function;
        if (!function_exists($fn)) {
            $file = self::root() . '/modules/registrars/' . $module . '/' . $module . '.php';
            if (!is_file($file)) {
                return ['error' => 'Privacy Suite: the registrar module ' . $module . ' is not installed'];
            }
            require_once $file;
        }
        if (!function_exists($fn)) {
            return ['error' => 'Privacy Suite: the registrar module ' . $module . ' does not support ' . $function];
        }
        if (!function_exists('getRegistrarConfigOptions') && is_file(self::root() . '/includes/registrarfunctions.php')) {
            require_once self::root() . '/includes/registrarfunctions.php';
        }
        $own = function_exists('getRegistrarConfigOptions') ? getRegistrarConfigOptions($module) : [];
        foreach (self::OWN_SETTINGS as $k) {
            unset($params[$k]);
        }
        $params = array_merge($params, is_array($own) ? $own : []);
        try {
            return $fn($params);
        } catch (\Throwable $e) {
            throw new WrappedModuleFailure('registrar module ' . $module . ' threw in ' . $function, 0, $e);
        }
    }

    private static function log($function, $message)
    {
        if (function_exists('logModuleCall')) {
            logModuleCall('privacysuite', 'registrar ' . $function, '', $message, '', []);
        }
    }
}
