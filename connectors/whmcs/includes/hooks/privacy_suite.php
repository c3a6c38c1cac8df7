<?php
/**
 * Privacy Suite hook file: forwards the hooks the suite binds (signed, secrets stripped, objects reduced, with what
 * WHMCS does not pass added) and answers in WHMCS's own form; queues after hooks while the suite is unreachable and
 * re-sends them from the cron. Including this file only registers hooks: no I/O, nothing printed.
 */

use WHMCS\Module\Addon\Privacysuite\Additions;
use WHMCS\Module\Addon\Privacysuite\Documents;
use WHMCS\Module\Addon\Privacysuite\Forwarder;
use WHMCS\Module\Addon\Privacysuite\Queue;
use WHMCS\Module\Addon\Privacysuite\Settings;
use WHMCS\Module\Addon\Privacysuite\SuiteClient;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** Loads the addon's classes (WHMCS autoloads lib/; required by hand where it does not) and its settings. */
function privacysuite_hook_settings(): ?Settings
{
    $lib = (defined('ROOTDIR') ? ROOTDIR : dirname(__DIR__, 2)) . '/modules/addons/privacysuite/lib/';
    foreach (['Settings', 'SuiteClient', 'Schema', 'HookMap', 'Additions', 'Documents', 'Forwarder', 'Queue'] as $class) {
        if (!class_exists('WHMCS\\Module\\Addon\\Privacysuite\\' . $class) && is_file($lib . $class . '.php')) {
            require_once $lib . $class . '.php';
        }
    }
    if (!class_exists(Settings::class) || !class_exists(SuiteClient::class) || !Queue::ready()) {
        return null;
    }
    return Settings::load();
}

/** Logs a failure inside a callback (the exception's class only: messages may hold personal data). */
function privacysuite_hook_failed(string $hook, \Throwable $e): void
{
    if (function_exists('logModuleCall')) {
        logModuleCall('privacysuite', 'hook ' . $hook . ' failed', ['exception' => get_class($e)], '', '', []);
    }
}

/**
 * Reads what a hook needs from WHMCS's records: 'order_client' (tblorders.userid of an order, else localAPI GetOrders),
 * 'client_tax_id' (tblclients.tax_id), 'client_language' (tblclients.language), 'user_client' (the only client a user
 * belongs to, tblusers_clients), 'invoices' (the client's tblinvoices rows), 'invoice' (a paid invoice's userid and
 * datepaid) or 'service_end' (a cancelled service's nextduedate and its client's other running services, tblhosting).
 * Null when unknown or unreadable: the hook is then sent without it.
 *
 * @return int|string|array<mixed>|null
 */
function privacysuite_hook_lookup(string $what, int $id)
{
    try {
        if ($what === 'client_tax_id' || $what === 'client_language') {
            $value = \WHMCS\Database\Capsule::table('tblclients')->where('id', $id)
                ->value($what === 'client_tax_id' ? 'tax_id' : 'language');
            return is_string($value) ? $value : null;
        }
        if ($what === 'user_client') {
            $clients = \WHMCS\Database\Capsule::table('tblusers_clients')->where('auth_user_id', $id)->limit(2)->pluck('client_id')->all();
            return count($clients) === 1 && is_numeric($clients[0]) && (int) $clients[0] > 0 ? (int) $clients[0] : null;
        }
        if ($what === 'invoice' || $what === 'service_end') {
            return $what === 'invoice' ? privacysuite_hook_invoice($id) : privacysuite_hook_service_end($id);
        }
        if ($what === 'invoices') {
            $invoices = [];
            $rows = \WHMCS\Database\Capsule::table('tblinvoices')->where('userid', $id)->orderBy('id')
                ->limit(100000)->get(['id', 'date', 'total', 'status', 'datepaid']);
            foreach ($rows as $row) {
                $row = (array) $row;
                $date = is_string($row['date'] ?? null) ? $row['date'] : '';
                if (preg_match('/^\d{4}-\d{2}-\d{2}/', $date) !== 1) {
                    continue;
                }
                $invoice = ['id' => (int) $row['id'], 'date' => substr($date, 0, 10), 'total' => (float) $row['total']];
                foreach (['status', 'datepaid'] as $name) {
                    if (is_scalar($row[$name] ?? null)) {
                        $invoice[$name] = (string) $row[$name];
                    }
                }
                $invoices[] = $invoice;
            }
            return $invoices;
        }
        $userId = \WHMCS\Database\Capsule::table('tblorders')->where('id', $id)->value('userid');
        if ($userId === null && function_exists('localAPI')) {
            $res = localAPI('GetOrders', ['id' => $id]);
            $userId = $res['orders']['order'][0]['userid'] ?? null;
        }
        return is_numeric($userId) && (int) $userId > 0 ? (int) $userId : null;
    } catch (\Throwable $e) {
        return null;
    }
}

/**
 * A paid invoice's client and payment time (ISO 8601 in the server's time zone); its amounts and items stay in WHMCS.
 *
 * @return array<string, int|string>|null
 */
function privacysuite_hook_invoice(int $id): ?array
{
    $row = \WHMCS\Database\Capsule::table('tblinvoices')->where('id', $id)->first(['userid', 'datepaid']);
    if ($row === null) {
        return null;
    }
    $row = (array) $row;
    $out = [];
    if (is_numeric($row['userid'] ?? null) && (int) $row['userid'] > 0) {
        $out['userid'] = (int) $row['userid'];
    }
    $paid = is_string($row['datepaid'] ?? null) && strpos($row['datepaid'], '0000-00-00') !== 0 ? strtotime($row['datepaid']) : false;
    if ($paid !== false) {
        $out['datepaid'] = date(DATE_ATOM, $paid);
    }
    return $out;
}

/**
 * A cancelled service's next due date (where its billing period ends) and how many other services of its client still
 * run: Pending, Active or Suspended without a cancellation request of their own.
 *
 * @return array<string, int|string>|null
 */
function privacysuite_hook_service_end(int $id): ?array
{
    $row = \WHMCS\Database\Capsule::table('tblhosting')->where('id', $id)->first(['userid', 'nextduedate']);
    if ($row === null) {
        return null;
    }
    $row = (array) $row;
    $out = [];
    $due = is_string($row['nextduedate'] ?? null) ? substr($row['nextduedate'], 0, 10) : '';
    if (preg_match('/^\d{4}-\d{2}-\d{2}$/', $due) === 1 && $due !== '0000-00-00') {
        $out['nextduedate'] = $due;
    }
    $out['services_running'] = \WHMCS\Database\Capsule::table('tblhosting')->where('userid', (int) $row['userid'])
        ->where('id', '<>', $id)->whereIn('domainstatus', ['Pending', 'Active', 'Suspended'])
        ->whereNotIn('id', function ($q) {
            $q->select('relid')->from('tblcancelrequests');
        })->count();
    return $out;
}

/**
 * Forwards one hook and returns WHMCS's answer; the neutral answer when not configured or on any error.
 *
 * @param array<string, mixed> $vars
 * @return mixed
 */
function privacysuite_hook_forward(string $hook, array $vars)
{
    // WHMCS's neutral answer: no errors / carry on / no merge fields for the hooks that answer, nothing for after hooks.
    $neutral = in_array($hook, PRIVACYSUITE_ANSWERING_HOOKS, true) ? [] : null;
    try {
        $settings = privacysuite_hook_settings();
        if ($settings === null) {
            return $neutral;
        }
        $vars = Additions::apply($hook, $vars, is_array($_POST ?? null) ? $_POST : [],
            is_array($_SESSION ?? null) ? $_SESSION : [], defined('ADMINAREA'), 'privacysuite_hook_lookup');
        $context = Additions::context(is_array($_SERVER ?? null) ? $_SERVER : [], is_array($_SESSION ?? null) ? $_SESSION : []);
        $forwarder = new Forwarder($settings, new SuiteClient($settings), new Queue());
        return $forwarder->forward($hook, $vars, $context);
    } catch (\Throwable $e) {
        privacysuite_hook_failed($hook, $e);
        return $neutral;
    }
}

/**
 * The hidden inputs naming the policy versions the page shows: the versions in force in the client's language, from
 * the suite (Documents: cached for 10 minutes, the last answer kept while the suite is down); none when the suite
 * was never reached, and the suite then binds a consent to the version in force.
 */
function privacysuite_hook_version_inputs(): array
{
    $settings = privacysuite_hook_settings();
    if ($settings === null) {
        return [];
    }
    $inputs = [];
    $versions = null;
    foreach (['terms' => 'privacysuite_terms_version', 'privacy' => 'privacysuite_privacy_version'] as $kind => $field) {
        $versions = $versions ?? Documents::versions($settings, Additions::locale($_SESSION['Language'] ?? null));
        $version = trim((string) ($versions[$kind] ?? ''));
        if ($version !== '' && strlen($version) <= 32) {
            $inputs[$field] = $version;
        }
    }
    return $inputs;
}

// The hooks the suite binds (HookMap::HOOKS holds how each is forwarded; a test keeps both lists equal).
define('PRIVACYSUITE_HOOKS', [
    'ClientAdd', 'ClientEdit', 'ClientClose', 'PreDeleteClient', 'ClientDetailsValidation', 'ContactDetailsValidation',
    'ContactAdd', 'ContactEdit', 'ContactDelete', 'ShoppingCartValidateCheckout', 'AfterShoppingCartCheckout',
    'PreRegistrarRegisterDomain', 'PreRegistrarTransferDomain', 'AfterRegistrarRegistration', 'AfterRegistrarRenewal',
    'AfterRegistrarTransfer', 'AfterRegistrarSaveContactDetails', 'EmailPreSend', 'UserLogin', 'InvoicePaid',
    'CancellationRequest', 'TicketOpen', 'TicketUserReply',
]);
define('PRIVACYSUITE_ANSWERING_HOOKS', [
    'ClientDetailsValidation', 'ContactDetailsValidation', 'ShoppingCartValidateCheckout',
    'PreRegistrarRegisterDomain', 'PreRegistrarTransferDomain', 'EmailPreSend',
]);

foreach (PRIVACYSUITE_HOOKS as $privacysuiteHook) {
    add_hook($privacysuiteHook, 1, function ($vars) use ($privacysuiteHook) {
        return privacysuite_hook_forward($privacysuiteHook, is_array($vars) ? $vars : []);
    });
}
unset($privacysuiteHook);

// The cron re-sends queued after hooks, oldest first, and keeps the suite's documents answer fresh (the policy versions
// the forms name, and the transactional templates EmailPreSend lets through while the suite is unreachable).
add_hook('AfterCronJob', 1, function ($vars) {
    try {
        $settings = privacysuite_hook_settings();
        if ($settings !== null) {
            (new Queue())->flush(new SuiteClient($settings));
            Documents::versions($settings);
        }
    } catch (\Throwable $e) {
        privacysuite_hook_failed('AfterCronJob', $e);
    }
    return null;
});

// Checkout: hidden inputs inside the checkout form naming the versions shown.
add_hook('ShoppingCartCheckoutOutput', 1, function ($vars) {
    try {
        $html = '';
        foreach (privacysuite_hook_version_inputs() as $name => $value) {
            $html .= '<input type="hidden" name="' . $name . '" value="' . htmlspecialchars($value, ENT_QUOTES, 'UTF-8') . '">';
        }
        return $html;
    } catch (\Throwable $e) {
        privacysuite_hook_failed('ShoppingCartCheckoutOutput', $e);
        return '';
    }
});

// Registration: the footer is outside the form, so a script adds the same inputs to the page's POST forms.
add_hook('ClientAreaFooterOutput', 1, function ($vars) {
    try {
        if (!is_array($vars) || ($vars['filename'] ?? '') !== 'register') {
            return '';
        }
        $inputs = privacysuite_hook_version_inputs();
        if ($inputs === []) {
            return '';
        }
        $json = json_encode($inputs, JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT);
        return '<script>(function(v){document.querySelectorAll(\'form[method="post"],form[method="POST"]\').forEach(function(f){'
            . 'Object.keys(v).forEach(function(n){if(f.querySelector(\'input[name="\'+n+\'"]\'))return;'
            . 'var i=document.createElement("input");i.type="hidden";i.name=n;i.value=v[n];f.appendChild(i);});});})('
            . $json . ');</script>';
    } catch (\Throwable $e) {
        privacysuite_hook_failed('ClientAreaFooterOutput', $e);
        return '';
    }
});
