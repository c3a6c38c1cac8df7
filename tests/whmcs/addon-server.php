<?php
// A router for `php -S`: the fake WHMCS runtime over a SQLite file (FAKE_WHMCS_DB, shared with runWhmcs scenarios)
// that serves the addon's endpoint.php (the suite's signed JSON endpoint) and routes index.php?m=privacysuite to the
// addon's privacysuite_clientarea($vars), as WHMCS does. What the
// function returns (the client-area page) is answered as JSON with X-Fake-Whmcs: clientarea. Started by
// tests/helpers/whmcs-php-server.ts.

define('ROOTDIR', rtrim(getenv('FAKE_WHMCS_ROOT') ?: dirname(__DIR__, 2) . '/connectors/whmcs', '/'));
define('WHMCS', true);

require __DIR__ . '/fake-whmcs.php';

FakeWhmcs::boot(['db' => (string) getenv('FAKE_WHMCS_DB')]);
// Warnings go to the server's stderr (php -S -d display_errors=stderr), where the test helper collects them.
restore_error_handler();

$path = (string) parse_url((string) ($_SERVER['REQUEST_URI'] ?? '/'), PHP_URL_PATH);
if ($path === '/modules/addons/privacysuite/endpoint.php') {
    // Requested directly, as WHMCS's web server would serve it; WHMCS (the fake) is booted already, as init.php would.
    require ROOTDIR . '/modules/addons/privacysuite/endpoint.php';
    return true;
}
if (!in_array($path, ['/', '/index.php'], true) || ($_GET['m'] ?? '') !== 'privacysuite') {
    http_response_code(404);
    header('Content-Type: text/plain');
    echo 'fake WHMCS: no such page';
    return true;
}

require ROOTDIR . '/modules/addons/privacysuite/privacysuite.php';
$page = privacysuite_clientarea(['modulelink' => 'index.php?m=privacysuite', '_lang' => []]);
header('Content-Type: application/json');
header('X-Fake-Whmcs: clientarea');
echo json_encode($page);
return true;
