<?php
/**
 * Privacy Suite page hooks: the privacy panel on the admin's client summary and the client area's "Privacy" menu
 * entry (to index.php?m=privacysuite). Including this file only registers callbacks; each callback catches
 * everything, so a suite problem never breaks a WHMCS page.
 */

use WHMCS\Module\Addon\Privacysuite\ClientSummary;
use WHMCS\Module\Addon\Privacysuite\Lang;
use WHMCS\Module\Addon\Privacysuite\PageLog;
use WHMCS\Module\Addon\Privacysuite\Settings;

if (!defined('WHMCS')) {
    return;
}

/** Loads the addon's lib/ classes the pages use when WHMCS's autoloader has not (called in callbacks, never on include). */
function privacysuite_pages_lib(): void
{
    foreach (['Settings', 'SuiteClient', 'Lang', 'PageLog', 'ClientSummary'] as $name) {
        if (!class_exists('WHMCS\\Module\\Addon\\Privacysuite\\' . $name, true)) {
            require_once dirname(__DIR__) . '/modules/addons/privacysuite/lib/' . $name . '.php';
        }
    }
}

add_hook('AdminAreaClientSummaryPage', 1, function ($vars) {
    try {
        privacysuite_pages_lib();
        return ClientSummary::render(isset($vars['userid']) ? (int) $vars['userid'] : 0);
    } catch (\Throwable $e) {
        return '';
    }
});

add_hook('ClientAreaPrimaryNavbar', 1, function ($primaryNavbar) {
    try {
        privacysuite_pages_lib();
        if (empty($_SESSION['uid']) || !is_object($primaryNavbar) || Settings::load() === null) {
            return;
        }
        if (method_exists($primaryNavbar, 'getChild') && $primaryNavbar->getChild('privacysuite') !== null) {
            return;
        }
        $primaryNavbar->addChild('privacysuite', [
            'label' => Lang::forClient()->get('nav_privacy'),
            'uri' => 'index.php?m=privacysuite',
            'order' => 90,
        ]);
    } catch (\Throwable $e) {
        try {
            PageLog::failure('navbar', $e);
        } catch (\Throwable $ignored) {
            // Nothing more to do: the menu stays as WHMCS built it.
        }
    }
});
