<?php
/**
 * The suite's signed JSON endpoint inside WHMCS (lib/SuiteEndpoint.php): POST <WHMCS>/modules/addons/privacysuite/endpoint.php.
 * Requested directly, not through the client area, so no login, session or form token stands in the way of a
 * machine-to-machine call: it boots WHMCS the way WHMCS's own payment-gateway callback files do (the root's init.php),
 * then answers JSON and ends the request. Every answer comes from SuiteEndpoint, which checks the signature first.
 */

if (!defined('WHMCS')) {
    require_once __DIR__ . '/../../../init.php';
}

foreach (['Settings', 'SuiteClient', 'PageLog', 'SuiteEndpoint'] as $privacysuiteClass) {
    if (!class_exists('WHMCS\\Module\\Addon\\Privacysuite\\' . $privacysuiteClass, true)) {
        require_once __DIR__ . '/lib/' . $privacysuiteClass . '.php';
    }
}
unset($privacysuiteClass);

\WHMCS\Module\Addon\Privacysuite\SuiteEndpoint::serve();
