<?php
// Runs one scenario (JSON on stdin) against the real connector files inside the fake WHMCS runtime and writes the
// outcome as JSON to file descriptor 3 (stdout stays free for whatever the connector prints). See
// tests/helpers/whmcs-php.ts for the scenario's shape.

$scenario = json_decode((string) stream_get_contents(STDIN), true);
if (!is_array($scenario)) {
    fwrite(STDERR, "run-scenario: stdin is not a JSON object\n");
    exit(2);
}

define('ROOTDIR', rtrim((string) ($scenario['root'] ?? dirname(__DIR__, 2) . '/connectors/whmcs'), '/'));
define('WHMCS', true);

require __DIR__ . '/fake-whmcs.php';

$GLOBALS['__run'] = ['output' => '', 'includeQueries' => [], 'steps' => [], 'done' => false];

/** Makes a step's answer JSON-safe (objects through their public properties or jsonSerialize, closures named). */
function __scenario_plain($v, int $depth = 0)
{
    if ($depth > 20) {
        return '(too deep)';
    }
    if ($v instanceof \Closure) {
        return '(closure)';
    }
    if ($v instanceof \JsonSerializable) {
        $v = $v->jsonSerialize();
    } elseif (is_object($v) && method_exists($v, 'toArray')) {
        $v = $v->toArray();
    } elseif (is_object($v)) {
        $v = ['__class' => get_class($v)] + get_object_vars($v);
    }
    if (is_array($v)) {
        $out = [];
        foreach ($v as $k => $item) {
            $out[$k] = __scenario_plain($item, $depth + 1);
        }
        return $out;
    }
    if (is_resource($v)) {
        return '(resource)';
    }
    return $v;
}

/** Writes the outcome once: at the end, or from the shutdown handler when the connector exits or dies. */
function __scenario_finish(): void
{
    static $written = false;
    if ($written) {
        return;
    }
    $written = true;
    $run = $GLOBALS['__run'];
    while (ob_get_level() > 0) {
        $run['pendingOutput'] = ($run['pendingOutput'] ?? '') . ob_get_clean();
    }
    $fatal = error_get_last();
    $out = [
        'output' => $run['output'],
        'includeQueries' => $run['includeQueries'],
        'steps' => $run['steps'],
        'completed' => $run['done'],
        'localApiCalls' => FakeWhmcs::$localApiCalls,
        'moduleLog' => __scenario_plain(FakeWhmcs::$moduleLog),
        'warnings' => FakeWhmcs::$warnings,
        'session' => __scenario_plain($_SESSION ?? []),
        'hooks' => array_map('count', FakeWhmcs::$hooks),
    ];
    if (!$run['done']) {
        $out['pendingOutput'] = $run['pendingOutput'] ?? '';
        $out['stoppedAtStep'] = $run['current'] ?? null;
        if ($fatal !== null && in_array($fatal['type'], [E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR], true)) {
            $out['fatal'] = $fatal;
        }
    }
    $fd = fopen('php://fd/3', 'w');
    fwrite($fd, (string) json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PARTIAL_OUTPUT_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE));
    fclose($fd);
}
register_shutdown_function('__scenario_finish');

FakeWhmcs::boot($scenario);
$db = \WHMCS\Database\Capsule::connection();

// The files WHMCS would load on this page, each included once; nothing may be printed and no query run.
$db->enableQueryLog();
ob_start();
foreach ((array) ($scenario['include'] ?? []) as $file) {
    require_once ROOTDIR . '/' . ltrim((string) $file, '/');
}
$GLOBALS['__run']['output'] = (string) ob_get_clean();
$GLOBALS['__run']['includeQueries'] = array_map(function ($q) {
    return $q['query'];
}, $db->getQueryLog());
$db->disableQueryLog();
$db->flushQueryLog();

foreach ((array) ($scenario['steps'] ?? []) as $i => $step) {
    $entry = ['step' => $i];
    $GLOBALS['__run']['current'] = $i;
    ob_start();
    try {
        if (isset($step['hook'])) {
            $entry['result'] = run_hook((string) $step['hook'], (array) ($step['vars'] ?? []));
        } elseif (isset($step['call'])) {
            $fn = (string) $step['call'];
            if (!function_exists($fn)) {
                throw new \RuntimeException('run-scenario: no function ' . $fn);
            }
            $entry['result'] = call_user_func_array($fn, array_values((array) ($step['args'] ?? [])));
        } elseif (isset($step['sql'])) {
            $sql = (string) $step['sql'];
            $bindings = (array) ($step['bindings'] ?? []);
            $entry['result'] = preg_match('/^\s*(select|with|pragma)\b/i', $sql)
                ? array_map(function ($row) {
                    return (array) $row;
                }, $db->select($sql, $bindings))
                : $db->affectingStatement($sql, $bindings);
        } elseif (isset($step['php'])) {
            $entry['result'] = (function (string $code) {
                return eval($code);
            })((string) $step['php']);
        } elseif (isset($step['include'])) {
            $entry['result'] = (bool) require_once ROOTDIR . '/' . ltrim((string) $step['include'], '/');
        } elseif (isset($step['set'])) {
            $set = (array) $step['set'];
            FakeWhmcs::applyDb($set);
            FakeWhmcs::applyGlobals($set);
            if (isset($set['localApi'])) {
                FakeWhmcs::$localApi = array_merge(FakeWhmcs::$localApi, (array) $set['localApi']);
            }
            $entry['result'] = true;
        } else {
            throw new \RuntimeException('run-scenario: unknown step ' . json_encode($step));
        }
    } catch (\Throwable $e) {
        $entry['error'] = ['class' => get_class($e), 'message' => $e->getMessage(), 'file' => $e->getFile(), 'line' => $e->getLine()];
    }
    $entry['output'] = (string) ob_get_clean();
    if (array_key_exists('result', $entry)) {
        $entry['result'] = __scenario_plain($entry['result']);
    }
    $GLOBALS['__run']['steps'][] = $entry;
}

$GLOBALS['__run']['done'] = true;
__scenario_finish();
