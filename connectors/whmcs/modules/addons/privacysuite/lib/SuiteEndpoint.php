<?php
/**
 * The addon's signed JSON endpoint for the suite (docs/whmcs.md, "The addon's endpoint for the suite"): what WHMCS's
 * external API cannot reach — the marketing opt-in history (read; IPs blanked on erasure) and the email log (deleted).
 * POST <WHMCS>/modules/addons/privacysuite/endpoint.php, signed like the suite's hook API in the other direction.
 */

namespace WHMCS\Module\Addon\Privacysuite;

use WHMCS\Database\Capsule;

final class SuiteEndpoint
{
    /** Seconds a signed timestamp may be away from this server's clock. */
    const MAX_SKEW_SECONDS = 300;
    const DEFAULT_LIMIT = 100;
    const MAX_LIMIT = 1000;

    /**
     * WHMCS's tables and columns, in this one place. Taken from public schema dumps of WHMCS 8 databases (WHMCS does
     * not document its schema): tblmarketing_consent (id, userid, opt_in, admin, ip_address, created_at, updated_at)
     * and tblemails (id, userid, subject, message, date, to, cc, bcc, …).
     */
    const CONSENT_TABLE = 'tblmarketing_consent';
    const CONSENT_COLUMNS = ['id' => 'id', 'userid' => 'userid', 'optin' => 'opt_in', 'admin' => 'admin', 'ip' => 'ip_address', 'date' => 'created_at'];
    const EMAIL_TABLE = 'tblemails';
    const EMAIL_USERID = 'userid';
    const EMAIL_DATE = 'date';

    const ACTIONS = [
        'consent-history' => 'consentHistory',
        'erase-email-log' => 'eraseEmailLog',
        'anonymise-consent-history' => 'anonymiseConsentHistory',
    ];

    /** Answers the current request as JSON and ends it (nothing of the client area is rendered). */
    public static function serve(): void
    {
        try {
            $headers = [
                'timestamp' => isset($_SERVER['HTTP_X_SUITE_TIMESTAMP']) ? (string) $_SERVER['HTTP_X_SUITE_TIMESTAMP'] : '',
                'signature' => isset($_SERVER['HTTP_X_SUITE_SIGNATURE']) ? (string) $_SERVER['HTTP_X_SUITE_SIGNATURE'] : '',
            ];
            $method = isset($_SERVER['REQUEST_METHOD']) ? strtoupper((string) $_SERVER['REQUEST_METHOD']) : '';
            $answer = $method === 'POST'
                ? self::handle(Settings::load(), (string) file_get_contents('php://input'), $headers, time())
                : [405, self::error('POST only')];
        } catch (\Throwable $e) {
            PageLog::failure('endpoint', $e);
            $answer = [500, self::error('The addon could not answer; the module log has the details')];
        }
        self::send($answer[0], $answer[1]);
        exit;
    }

    /**
     * The answer to one request: [HTTP status, JSON body]. The signature, its age and the brand are checked before
     * anything is read or changed.
     *
     * @param array{timestamp: string, signature: string} $headers
     */
    public static function handle(?Settings $settings, string $rawBody, array $headers, int $now): array
    {
        if ($settings === null || !self::signedBy($settings->hookSecret, $headers['timestamp'], $headers['signature'], $rawBody, $now)) {
            return [401, self::error('Invalid signature')];
        }
        $body = json_decode($rawBody, true);
        if (!is_array($body) || !isset($body['brand']) || !is_string($body['brand']) || !hash_equals($settings->brand, $body['brand'])) {
            return [401, self::error('Invalid signature')];
        }
        $action = isset($body['action']) && is_string($body['action']) ? $body['action'] : '';
        if (!isset(self::ACTIONS[$action])) {
            return [400, self::error('Unknown action')];
        }
        $params = isset($body['params']) ? $body['params'] : [];
        if (!is_array($params)) {
            return [400, self::error('params must be an object')];
        }
        try {
            $result = call_user_func([self::class, self::ACTIONS[$action]], $params);
        } catch (\InvalidArgumentException $e) {
            return [400, self::error($e->getMessage())];
        }
        PageLog::note('endpoint ' . $action, 'ok');
        return [200, ['result' => 'success'] + $result];
    }

    /** True when $signature carries a v1 signature of "<timestamp>.<body>" with $secret, and the timestamp is fresh. */
    public static function signedBy(string $secret, string $timestamp, string $signature, string $rawBody, int $now): bool
    {
        if ($secret === '' || !preg_match('/^\d{1,12}$/', $timestamp) || abs($now - (int) $timestamp) > self::MAX_SKEW_SECONDS) {
            return false;
        }
        $expected = SuiteClient::sign($secret, (int) $timestamp, $rawBody);
        foreach (explode(',', $signature) as $part) {
            if (hash_equals($expected, trim($part))) {
                return true;
            }
        }
        return false;
    }

    /** consent-history {userid?, limitstart?, limitnum?}: one page of the opt-in history, ordered by id. */
    private static function consentHistory(array $params): array
    {
        $c = self::CONSENT_COLUMNS;
        $userid = self::intParam($params, 'userid', null, 1);
        $start = self::intParam($params, 'limitstart', 0, 0);
        $limit = min(self::MAX_LIMIT, (int) self::intParam($params, 'limitnum', self::DEFAULT_LIMIT, 1));
        $query = Capsule::table(self::CONSENT_TABLE);
        if ($userid !== null) {
            $query->where($c['userid'], $userid);
        }
        $total = (int) (clone $query)->count();
        $rows = $query->orderBy($c['id'])->offset($start)->limit($limit)
            ->get([$c['id'], $c['userid'], $c['optin'], $c['admin'], $c['ip'], $c['date']]);
        $history = [];
        foreach ($rows as $row) {
            $row = (array) $row;
            $history[] = [
                'id' => (int) $row[$c['id']],
                'userid' => (int) $row[$c['userid']],
                'optin' => (bool) (int) $row[$c['optin']],
                'admin' => (bool) (int) $row[$c['admin']],
                'ip' => (string) $row[$c['ip']],
                'date' => self::isoDate($row[$c['date']]),
            ];
        }
        return ['totalresults' => $total, 'startnumber' => $start, 'numreturned' => count($history), 'history' => $history];
    }

    /** erase-email-log {userid, before?}: deletes the client's rows of the email log (with `before`: those dated before it). */
    private static function eraseEmailLog(array $params): array
    {
        $userid = self::intParam($params, 'userid', null, 1, true);
        $before = self::beforeParam($params);
        $query = Capsule::table(self::EMAIL_TABLE)->where(self::EMAIL_USERID, $userid);
        if ($before !== null) {
            $query->where(self::EMAIL_DATE, '<', $before);
        }
        return ['erased' => (int) $query->delete()];
    }

    /**
     * anonymise-consent-history {userid, before?}: blanks the IPs of the client's opt-in history (with `before`: of the
     * rows dated before it); flags and times stay as proof.
     */
    private static function anonymiseConsentHistory(array $params): array
    {
        $c = self::CONSENT_COLUMNS;
        $userid = self::intParam($params, 'userid', null, 1, true);
        $before = self::beforeParam($params);
        $query = Capsule::table(self::CONSENT_TABLE)->where($c['userid'], $userid)->where($c['ip'], '<>', '');
        if ($before !== null) {
            $query->where($c['date'], '<', $before);
        }
        return ['anonymised' => (int) $query->update([$c['ip'] => ''])];
    }

    /**
     * The optional `before` (ISO 8601 date-time with an offset, as the suite sends it) as a WHMCS datetime in this
     * server's time zone, the form WHMCS stores its dates in; null when absent. InvalidArgumentException names it.
     */
    private static function beforeParam(array $params): ?string
    {
        if (!array_key_exists('before', $params) || $params['before'] === null) {
            return null;
        }
        $v = $params['before'];
        $pattern = '/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/';
        $at = is_string($v) && preg_match($pattern, $v) === 1 ? date_create_immutable($v) : false;
        if ($at === false) {
            throw new \InvalidArgumentException('before must be an ISO 8601 date-time with an offset');
        }
        return $at->setTimezone(new \DateTimeZone(date_default_timezone_get()))->format('Y-m-d H:i:s');
    }

    /** An integer parameter of at least $min (a JSON number or a string of digits); InvalidArgumentException names it. */
    private static function intParam(array $params, string $name, $default, int $min, bool $required = false)
    {
        if (!array_key_exists($name, $params) || $params[$name] === null || $params[$name] === '') {
            if ($required) {
                throw new \InvalidArgumentException($name . ' is required');
            }
            return $default;
        }
        $v = $params[$name];
        if (!(is_int($v) || (is_string($v) && preg_match('/^\d{1,10}$/', $v))) || (int) $v < $min) {
            throw new \InvalidArgumentException($name . ' must be an integer of at least ' . $min);
        }
        return (int) $v;
    }

    /** A WHMCS datetime (server time zone) as ISO 8601; '' for an empty or zero date. */
    private static function isoDate($value): string
    {
        $s = (string) $value;
        if ($s === '' || strpos($s, '0000-00-00') === 0) {
            return '';
        }
        try {
            return (new \DateTimeImmutable($s))->format(DATE_ATOM);
        } catch (\Exception $e) {
            return '';
        }
    }

    private static function error(string $message): array
    {
        return ['result' => 'error', 'message' => $message];
    }

    private static function send(int $status, array $body): void
    {
        while (ob_get_level() > 0) {
            ob_end_clean();
        }
        if (!headers_sent()) {
            http_response_code($status);
            header('Content-Type: application/json; charset=utf-8');
            header('Cache-Control: no-store');
        }
        echo json_encode($body, SuiteClient::JSON_FLAGS | JSON_INVALID_UTF8_SUBSTITUTE);
    }
}
