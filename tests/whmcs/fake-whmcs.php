<?php
// A small fake of WHMCS's runtime for the connector tests: hooks, localAPI, logModuleCall, registrar settings,
// Capsule over SQLite with the WHMCS tables the connector reads, and WHMCS's autoloader for the addon's lib/.
// Loaded by run-scenario.php before any connector file; FakeWhmcs::boot() takes the scenario.

require_once getenv('ILLUMINATE_DATABASE_AUTOLOAD') ?: '/usr/share/php/Illuminate/Database/autoload.php';

if (!class_exists('WHMCS\\Database\\Capsule', false)) {
    class_alias('Illuminate\\Database\\Capsule\\Manager', 'WHMCS\\Database\\Capsule');
}

/** The fake's state: what the scenario scripted and what the connector did. */
final class FakeWhmcs
{
    /** @var array<string, list<array{priority:int, seq:int, fn:callable}>> */
    public static $hooks = [];
    /** @var array<string, mixed> localAPI answers by command (a list is answered in order, its last entry repeats) */
    public static $localApi = [];
    /** @var array<string, int> */
    public static $localApiSeen = [];
    /** @var list<array{command:string, values:array, adminUser:string, answer:mixed}> */
    public static $localApiCalls = [];
    /** @var list<array> */
    public static $moduleLog = [];
    /** @var array<string, array> settings per registrar module, as getRegistrarConfigOptions answers */
    public static $registrarConfig = [];
    /** @var list<array{type:string, message:string, file:string, line:int}> */
    public static $warnings = [];
    /** @var int */
    private static $seq = 0;

    /** The default WHMCS schema: only the tables and columns the connector reads. */
    public static function createTables(): void
    {
        $schema = \WHMCS\Database\Capsule::schema();
        $tables = [
            'tbladdonmodules' => function ($t) {
                $t->string('module', 64);
                $t->string('setting', 64);
                $t->text('value')->nullable();
            },
            'tblconfiguration' => function ($t) {
                $t->string('setting', 64)->primary();
                $t->text('value')->nullable();
            },
            'tblclients' => function ($t) {
                $t->increments('id');
                $t->string('uuid', 64)->default('');
                $t->string('firstname', 128)->default('');
                $t->string('lastname', 128)->default('');
                $t->string('companyname', 128)->default('');
                $t->string('email', 255)->default('');
                $t->string('address1', 255)->default('');
                $t->string('city', 128)->default('');
                $t->string('state', 128)->default('');
                $t->string('postcode', 32)->default('');
                $t->string('country', 2)->default('');
                $t->string('phonenumber', 64)->default('');
                $t->string('language', 64)->default('');
                $t->string('status', 16)->default('Active');
                $t->boolean('marketing_emails_opt_in')->default(false);
                $t->timestamp('created_at')->nullable();
            },
            'tblcontacts' => function ($t) {
                $t->increments('id');
                $t->integer('userid');
                $t->string('firstname', 128)->default('');
                $t->string('lastname', 128)->default('');
                $t->string('companyname', 128)->default('');
                $t->string('email', 255)->default('');
                $t->string('country', 2)->default('');
            },
            'tblusers' => function ($t) {
                $t->increments('id');
                $t->string('first_name', 128)->default('');
                $t->string('last_name', 128)->default('');
                $t->string('email', 255)->default('');
                $t->string('language', 64)->default('');
            },
            'tblusers_clients' => function ($t) {
                $t->increments('id');
                $t->integer('auth_user_id');
                $t->integer('client_id');
                $t->boolean('owner')->default(false);
            },
            'tblorders' => function ($t) {
                $t->increments('id');
                $t->string('ordernum', 32)->default('');
                $t->integer('userid');
                $t->integer('contactid')->default(0);
                $t->integer('invoiceid')->default(0);
                $t->string('status', 32)->default('Pending');
                $t->string('ipaddress', 64)->default('');
                $t->timestamp('date')->nullable();
            },
            'tbldomains' => function ($t) {
                $t->increments('id');
                $t->integer('userid');
                $t->integer('orderid')->default(0);
                $t->string('domain', 255);
                $t->string('registrar', 64)->default('');
                $t->boolean('idprotection')->default(false);
                $t->string('status', 32)->default('Pending');
            },
            // Invoices, services and cancellation requests (the hook file reads InvoicePaid's and CancellationRequest's additions there).
            'tblinvoices' => function ($t) {
                $t->increments('id');
                $t->integer('userid');
                $t->date('date')->nullable();
                $t->date('duedate')->nullable();
                $t->dateTime('datepaid')->default('0000-00-00 00:00:00');
                $t->decimal('total', 16, 2)->default(0);
                $t->string('status', 16)->default('Unpaid');
                $t->string('paymentmethod', 64)->default('');
            },
            'tblhosting' => function ($t) {
                $t->increments('id');
                $t->integer('userid');
                $t->integer('orderid')->default(0);
                $t->integer('packageid')->default(0);
                $t->string('domain', 255)->default('');
                $t->string('domainstatus', 16)->default('Pending');
                $t->string('billingcycle', 32)->default('');
                $t->date('nextduedate')->nullable();
            },
            'tblcancelrequests' => function ($t) {
                $t->increments('id');
                $t->dateTime('date')->nullable();
                $t->integer('relid');
                $t->text('reason')->nullable();
                $t->string('type', 32)->default('Immediate');
            },
            // WHMCS's marketing opt-in history and email log (columns as in WHMCS 8's schema; the addon's endpoint reads them).
            'tblmarketing_consent' => function ($t) {
                $t->increments('id');
                $t->integer('userid')->default(0);
                $t->boolean('opt_in')->default(false);
                $t->boolean('admin')->default(false);
                $t->string('ip_address', 32)->default('');
                $t->dateTime('created_at')->nullable();
                $t->dateTime('updated_at')->nullable();
            },
            'tblemails' => function ($t) {
                $t->increments('id');
                $t->integer('userid');
                $t->text('subject');
                $t->text('message');
                $t->dateTime('date')->nullable();
                $t->text('to')->nullable();
            },
        ];
        foreach ($tables as $name => $build) {
            if (!$schema->hasTable($name)) {
                $schema->create($name, $build);
            }
        }
    }

    /** Applies a scenario: database, settings, rows, superglobals, scripted answers. */
    public static function boot(array $s): void
    {
        set_error_handler(function (int $no, string $message, string $file, int $line): bool {
            $types = [E_WARNING => 'warning', E_NOTICE => 'notice', E_DEPRECATED => 'deprecated',
                E_USER_WARNING => 'warning', E_USER_NOTICE => 'notice', E_USER_DEPRECATED => 'deprecated'];
            self::$warnings[] = ['type' => $types[$no] ?? (string) $no, 'message' => $message, 'file' => $file, 'line' => $line];
            return true;
        });

        $file = (string) ($s['db'] ?? ':memory:');
        if ($file !== ':memory:' && !is_file($file)) {
            touch($file);
        }
        $capsule = new \WHMCS\Database\Capsule();
        $capsule->addConnection(['driver' => 'sqlite', 'database' => $file, 'prefix' => '', 'foreign_key_constraints' => false]);
        $capsule->setAsGlobal();
        self::createTables();
        self::applyDb($s);

        self::$localApi = isset($s['localApi']) ? (array) $s['localApi'] : [];
        self::$registrarConfig = isset($s['registrarConfig']) ? (array) $s['registrarConfig'] : [];
        self::applyGlobals($s);
    }

    /** Settings (replacing the addon's rows) and seeded rows. */
    public static function applyDb(array $s): void
    {
        $db = \WHMCS\Database\Capsule::connection();
        if (array_key_exists('settings', $s) && is_array($s['settings'])) {
            $db->table('tbladdonmodules')->where('module', 'privacysuite')->delete();
            foreach ($s['settings'] as $setting => $value) {
                $db->table('tbladdonmodules')->insert(['module' => 'privacysuite', 'setting' => (string) $setting,
                    'value' => is_bool($value) ? ($value ? 'on' : '') : (string) $value]);
            }
        }
        foreach ((array) ($s['tables'] ?? []) as $table => $rows) {
            foreach ((array) $rows as $row) {
                $db->table($table)->insert((array) $row);
            }
        }
    }

    /** `$_POST`, `$_GET`, `$_REQUEST`, `$_SESSION`, `$_SERVER` from the scenario (a key not given is left as it is). */
    public static function applyGlobals(array $s): void
    {
        if (array_key_exists('post', $s)) {
            $_POST = (array) $s['post'];
        }
        if (array_key_exists('get', $s)) {
            $_GET = (array) $s['get'];
        }
        $_REQUEST = array_merge($_GET ?? [], $_POST ?? []);
        if (array_key_exists('session', $s)) {
            $_SESSION = (array) $s['session'];
        }
        if (!isset($_SESSION)) {
            $_SESSION = [];
        }
        $server = ['REMOTE_ADDR' => '203.0.113.10', 'HTTP_USER_AGENT' => 'Mozilla/5.0 (fake WHMCS test)',
            'REQUEST_METHOD' => 'POST', 'HTTP_HOST' => 'whmcs.test', 'SCRIPT_NAME' => '/cart.php'];
        if (array_key_exists('server', $s)) {
            $_SERVER = array_merge($_SERVER, $server, (array) $s['server']);
        } elseif (!isset($_SERVER['REMOTE_ADDR'])) {
            $_SERVER = array_merge($_SERVER, $server);
        }
    }

    public static function addHook(string $hook, int $priority, callable $fn): void
    {
        self::$hooks[$hook][] = ['priority' => $priority, 'seq' => self::$seq++, 'fn' => $fn];
    }

    /** Runs every callback of a hook in priority order and returns the list of their answers, as WHMCS does. */
    public static function runHook(string $hook, array $vars): array
    {
        $list = self::$hooks[$hook] ?? [];
        usort($list, function ($a, $b) {
            return [$a['priority'], $a['seq']] <=> [$b['priority'], $b['seq']];
        });
        $out = [];
        foreach ($list as $h) {
            $out[] = call_user_func($h['fn'], $vars);
        }
        return $out;
    }

    public static function localApi(string $command, array $values, string $adminUser): array
    {
        $answer = ['result' => 'error', 'message' => 'fake WHMCS: no scripted answer for ' . $command];
        if (array_key_exists($command, self::$localApi)) {
            $scripted = self::$localApi[$command];
            if (is_array($scripted) && $scripted !== [] && array_keys($scripted) === range(0, count($scripted) - 1)) {
                $n = self::$localApiSeen[$command] ?? 0;
                self::$localApiSeen[$command] = $n + 1;
                $answer = $scripted[min($n, count($scripted) - 1)];
            } else {
                $answer = $scripted;
            }
        }
        self::$localApiCalls[] = ['command' => $command, 'values' => $values, 'adminUser' => $adminUser, 'answer' => $answer];
        return (array) $answer;
    }
}

// WHMCS's global functions, as the connector calls them.

function add_hook($hookPoint, $priority, $function)
{
    FakeWhmcs::addHook((string) $hookPoint, (int) $priority, $function);
}

function run_hook($hookPoint, $vars)
{
    return FakeWhmcs::runHook((string) $hookPoint, (array) $vars);
}

function localAPI($command, $values = [], $adminUser = '')
{
    return FakeWhmcs::localApi((string) $command, (array) $values, (string) $adminUser);
}

function logModuleCall($module, $action, $requestString = '', $responseData = '', $processedData = '', $replaceVars = [])
{
    FakeWhmcs::$moduleLog[] = ['module' => $module, 'action' => $action, 'request' => $requestString,
        'response' => $responseData, 'processed' => $processedData, 'replaceVars' => $replaceVars];
}

function getRegistrarConfigOptions($registrar)
{
    return (array) (FakeWhmcs::$registrarConfig[$registrar] ?? []);
}

// WHMCS autoloads each module's lib/ (PSR-4): WHMCS\Module\Addon\<Name>\ from modules/addons/<name>/lib/, and the
// same for registrar and server modules; the fake does the same under ROOTDIR.
spl_autoload_register(function (string $class): void {
    $kinds = ['Addon' => 'addons', 'Registrar' => 'registrars', 'Server' => 'servers'];
    if (!defined('ROOTDIR') || !preg_match('/^WHMCS\\\\Module\\\\(Addon|Registrar|Server)\\\\([A-Za-z0-9_]+)\\\\(.+)$/', $class, $m)) {
        return;
    }
    $file = ROOTDIR . '/modules/' . $kinds[$m[1]] . '/' . strtolower($m[2]) . '/lib/' . str_replace('\\', '/', $m[3]) . '.php';
    if (is_file($file)) {
        require_once $file;
    }
});
