<?php
// The Privacy Suite addon module for WHMCS: configuration, activation, deactivation and upgrades.
// Nothing runs when WHMCS includes this file; every function guards itself so a problem never breaks a WHMCS page.

use WHMCS\Database\Capsule;
use WHMCS\Module\Addon\Privacysuite\Schema;
use WHMCS\Module\Addon\Privacysuite\SuiteClient;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** Loads the addon's lib/ classes when WHMCS's autoloader has not (called inside functions, never on include). */
function privacysuite_require_lib(): void
{
    foreach (['Settings', 'SuiteClient', 'Schema'] as $name) {
        if (!class_exists('WHMCS\\Module\\Addon\\Privacysuite\\' . $name, true)) {
            require_once __DIR__ . '/lib/' . $name . '.php';
        }
    }
}

/** The addon's name, version and settings as WHMCS shows them under Setup > Addon Modules. */
function privacysuite_config()
{
    $failMode = function (string $page) {
        return [
            'FriendlyName' => 'When the suite is unreachable: ' . $page,
            'Type' => 'dropdown',
            'Options' => 'open,closed',
            'Default' => 'open',
            'Description' => 'open: let the customer continue (the failure is logged); closed: refuse until the suite answers',
        ];
    };
    return [
        'name' => 'Privacy Suite',
        'description' => 'Connects WHMCS to the Privacy Suite: consent, terms acceptance, data subject rights and registrar contact privacy.',
        'version' => '1.0.0',
        'author' => 'Privacy Suite',
        'language' => 'english',
        'fields' => [
            'suite_url' => [
                'FriendlyName' => 'Suite URL',
                'Type' => 'text',
                'Size' => '60',
                'Default' => '',
                'Description' => 'The Privacy Suite\'s address, e.g. https://privacy.example.com',
            ],
            'brand' => [
                'FriendlyName' => 'Brand',
                'Type' => 'text',
                'Size' => '30',
                'Default' => '',
                'Description' => 'This shop\'s brand slug in the suite',
            ],
            'hook_secret' => [
                'FriendlyName' => 'Hook secret',
                'Type' => 'password',
                'Size' => '60',
                'Default' => '',
                'Description' => 'The brand\'s hook secret, shown by the suite when the brand was created; signs every call',
            ],
            'timeout_seconds' => [
                'FriendlyName' => 'Timeout (seconds)',
                'Type' => 'text',
                'Size' => '5',
                'Default' => '5',
                'Description' => 'How long a page waits for the suite at most',
            ],
            'connect_timeout_seconds' => [
                'FriendlyName' => 'Connect timeout (seconds)',
                'Type' => 'text',
                'Size' => '5',
                'Default' => '2',
                'Description' => 'How long to wait for a connection to the suite',
            ],
            'fail_mode_checkout' => $failMode('checkout'),
            'fail_mode_details' => $failMode('client details'),
            'fail_mode_contact' => $failMode('contact details'),
            'fail_mode_email' => [
                'FriendlyName' => 'When the suite is unreachable: e-mails',
                'Type' => 'dropdown',
                'Options' => 'closed,open',
                'Default' => 'closed',
                'Description' => 'closed: send only templates the suite classes transactional, hold back the rest (they may be marketing to someone who opted out); open: send everything (logged)',
            ],
            'registrar_module' => [
                'FriendlyName' => 'Wrapped registrar module',
                'Type' => 'text',
                'Size' => '30',
                'Default' => '',
                'Description' => 'The system name of the registrar module the Privacy Suite registrar passes calls to (it must stay activated)',
            ],
            'delete_data_on_deactivate' => [
                'FriendlyName' => 'Delete data on deactivation',
                'Type' => 'yesno',
                'Description' => 'Tick to drop the addon\'s tables (the queue of unsent events) when the addon is deactivated',
            ],
        ],
    ];
}

/** Creates the addon's tables (again harmlessly when they exist). */
function privacysuite_activate()
{
    try {
        privacysuite_require_lib();
        Schema::install();
        return ['status' => 'success', 'description' => 'Privacy Suite is active. Enter the suite URL, brand and hook secret in its configuration.'];
    } catch (\Throwable $e) {
        privacysuite_log_failure('activate', $e);
        return ['status' => 'error', 'description' => 'Privacy Suite could not create its tables: ' . $e->getMessage()];
    }
}

/** Keeps the addon's tables unless "Delete data on deactivation" is ticked. */
function privacysuite_deactivate()
{
    try {
        privacysuite_require_lib();
        $delete = Capsule::table('tbladdonmodules')->where('module', 'privacysuite')
            ->where('setting', 'delete_data_on_deactivate')->value('value');
        if (in_array(strtolower(trim((string) $delete)), ['on', 'yes', '1'], true)) {
            Schema::drop();
            return ['status' => 'success', 'description' => 'Privacy Suite is deactivated and its tables are dropped.'];
        }
        return ['status' => 'success', 'description' => 'Privacy Suite is deactivated; its tables are kept.'];
    } catch (\Throwable $e) {
        privacysuite_log_failure('deactivate', $e);
        return ['status' => 'error', 'description' => 'Privacy Suite could not be deactivated cleanly: ' . $e->getMessage()];
    }
}

/** Brings the tables up to this version ($vars['version'] is the version upgraded from). */
function privacysuite_upgrade($vars)
{
    try {
        privacysuite_require_lib();
        Schema::install();
        logModuleCall('privacysuite', 'upgrade', ['from' => (string) ($vars['version'] ?? '')], 'ok', '', []);
        return ['status' => 'success', 'description' => 'Privacy Suite is upgraded to ' . SuiteClient::VERSION . '.'];
    } catch (\Throwable $e) {
        privacysuite_log_failure('upgrade', $e);
        return ['status' => 'error', 'description' => 'Privacy Suite could not upgrade its tables: ' . $e->getMessage()];
    }
}

/** Logs a failed entry point (the exception's class and message; no personal data, no secrets). */
function privacysuite_log_failure(string $action, \Throwable $e): void
{
    try {
        logModuleCall('privacysuite', $action, '', get_class($e) . ': ' . $e->getMessage(), '', []);
    } catch (\Throwable $ignored) {
        // logging must never break the page either
    }
}

/** The addon's admin page (Addons → Privacy Suite): connection check, queued events with Retry, link to the suite. */
function privacysuite_output($vars)
{
    $vars = is_array($vars) ? $vars : [];
    try {
        foreach (['Settings', 'SuiteClient', 'Schema', 'Lang', 'PageLog', 'AdminPage'] as $name) {
            if (!class_exists('WHMCS\\Module\\Addon\\Privacysuite\\' . $name, true)) {
                require_once __DIR__ . '/lib/' . $name . '.php';
            }
        }
        echo \WHMCS\Module\Addon\Privacysuite\AdminPage::render($vars);
    } catch (\Throwable $e) {
        try {
            logModuleCall('privacysuite', 'output', '', get_class($e) . ' at ' . basename($e->getFile()) . ':' . $e->getLine());
        } catch (\Throwable $ignored) {
            // logging must never break the page either
        }
        $text = isset($vars['_lang']['page_failed']) ? (string) $vars['_lang']['page_failed'] : 'This page could not be shown; the module log has the details.';
        echo '<div class="alert alert-danger" role="status">' . htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8') . '</div>';
    }
}

/**
 * The client area's "Privacy" page (index.php?m=privacysuite): opens the brand's privacy center by a fresh signed link.
 * (The suite's signed JSON endpoint is endpoint.php beside this file, not a client-area page.)
 */
function privacysuite_clientarea($vars)
{
    $vars = is_array($vars) ? $vars : [];
    try {
        foreach (['Settings', 'Lang', 'PageLog', 'Sso', 'ClientAreaPage'] as $name) {
            if (!class_exists('WHMCS\\Module\\Addon\\Privacysuite\\' . $name, true)) {
                require_once __DIR__ . '/lib/' . $name . '.php';
            }
        }
        return \WHMCS\Module\Addon\Privacysuite\ClientAreaPage::build($vars);
    } catch (\Throwable $e) {
        try {
            logModuleCall('privacysuite', 'clientarea', '', get_class($e) . ' at ' . basename($e->getFile()) . ':' . $e->getLine());
        } catch (\Throwable $ignored) {
            // logging must never break the page either
        }
        $lang = isset($vars['_lang']) && is_array($vars['_lang']) ? $vars['_lang'] : [];
        $title = isset($lang['client_title']) ? (string) $lang['client_title'] : 'Privacy';
        return [
            'pagetitle' => $title,
            'breadcrumb' => ['index.php?m=privacysuite' => $title],
            'templatefile' => 'clientarea',
            'requirelogin' => true,
            'forcessl' => false,
            'vars' => ['ssoUrl' => '', 'ssoLifetime' => 0, 'available' => false, 'text' => [
                'intro' => isset($lang['client_intro']) ? (string) $lang['client_intro'] : '',
                'open' => '',
                'expiry' => '',
                'unavailable' => isset($lang['client_unavailable']) ? (string) $lang['client_unavailable'] : 'The privacy center is not available right now. Please try again later.',
            ]],
        ];
    }
}
