<?php
/** The addon's admin page (Addons → Privacy Suite): the connection check, the queue of after hooks with retry, a link to the suite. */

namespace WHMCS\Module\Addon\Privacysuite;

use WHMCS\Database\Capsule;

final class AdminPage
{
    private const QUEUE = Schema::QUEUE;
    private const LISTED = 100;

    /** The page's HTML; a POSTed retry (with WHMCS's CSRF token) is handled first. */
    public static function render(array $vars): string
    {
        $lang = Lang::fromVars($vars);
        $link = isset($vars['modulelink']) ? (string) $vars['modulelink'] : 'addonmodules.php?module=privacysuite';
        $settings = null;
        try {
            $settings = Settings::load();
        } catch (\Throwable $e) {
            PageLog::failure('output', $e);
        }
        $html = '<div class="privacysuite-admin">';
        if (isset($_POST['privacysuite_retry'])) {
            $html .= self::retry($lang, (int) $_POST['privacysuite_retry']);
        }
        $html .= self::connection($lang, $settings);
        $html .= self::queue($lang, $link);
        return $html . '</div>';
    }

    /** The signed ping's verdict in words, and the link to the suite's admin panel. */
    private static function connection(Lang $lang, ?Settings $settings): string
    {
        $html = '<h2>' . self::h($lang->get('conn_heading')) . '</h2>';
        if ($settings === null) {
            return $html . self::alert('warning', $lang->get('conn_not_configured'));
        }
        [$ok, $message] = self::ping($lang, $settings);
        $html .= self::alert($ok ? 'success' : 'danger', $message);
        $admin = rtrim($settings->suiteUrl, '/') . '/admin';
        return $html . '<p><a href="' . self::h($admin) . '" target="_blank" rel="noopener">'
            . self::h($lang->get('conn_open_admin')) . '</a></p>';
    }

    /** @return array{0: bool, 1: string} */
    private static function ping(Lang $lang, Settings $settings): array
    {
        try {
            $res = (new SuiteClient($settings))->post('/api/v1/connector/ping', ['brand' => $settings->brand]);
        } catch (\Throwable $e) {
            PageLog::failure('ping', $e);
            return [false, $lang->get('conn_unreachable', get_class($e))];
        }
        $status = (int) ($res['status'] ?? 0);
        $body = is_array($res['body'] ?? null) ? $res['body'] : [];
        if ($status === 0) {
            return [false, $lang->get('conn_unreachable', (string) ($res['error'] ?? ''))];
        }
        if ($status === 401 || $status === 403) {
            return [false, $lang->get('conn_refused')];
        }
        if ($status === 404) {
            return [false, $lang->get('conn_not_found')];
        }
        if ($status !== 200 || (isset($body['ok']) && $body['ok'] !== true)) {
            return [false, $lang->get('conn_unexpected', $status)];
        }
        $message = $lang->get('conn_ok', rtrim($settings->suiteUrl, '/'), $settings->brand);
        if (isset($body['suiteVersion']) && is_scalar($body['suiteVersion'])) {
            $message .= ' ' . $lang->get('conn_version', (string) $body['suiteVersion']);
        }
        return [true, $message];
    }

    /** Counts, then the undelivered entries oldest first, each failed one with its retry form. */
    private static function queue(Lang $lang, string $link): string
    {
        $html = '<h2>' . self::h($lang->get('queue_heading')) . '</h2><p>' . self::h($lang->get('queue_explain')) . '</p>';
        try {
            $delivered = Capsule::table(self::QUEUE)->whereNotNull('delivered_at')->count();
            $failed = self::failed(Capsule::table(self::QUEUE))->count();
            $pending = Capsule::table(self::QUEUE)->whereNull('delivered_at')->count() - $failed;
            $rows = Capsule::table(self::QUEUE)->whereNull('delivered_at')->orderBy('id')->limit(self::LISTED)
                ->get(['id', 'hook', 'attempts', 'last_error', 'next_attempt_at', 'created_at']);
        } catch (\Throwable $e) {
            PageLog::failure('queue', $e);
            return $html . self::alert('warning', $lang->get('queue_unavailable'));
        }
        $html .= '<ul class="privacysuite-counts">'
            . '<li>' . self::h($lang->get('queue_pending')) . ': <strong data-count="pending">' . (int) $pending . '</strong></li>'
            . '<li>' . self::h($lang->get('queue_failed')) . ': <strong data-count="failed">' . (int) $failed . '</strong></li>'
            . '<li>' . self::h($lang->get('queue_delivered')) . ': <strong data-count="delivered">' . (int) $delivered . '</strong></li>'
            . '</ul>';
        if ($failed === 0) {
            $html .= '<p>' . self::h($lang->get('queue_none_failed')) . '</p>';
        }
        if (count($rows) === 0) {
            return $html;
        }
        $token = function_exists('generate_token') ? (string) generate_token('plain') : '';
        $html .= '<table class="table table-condensed"><thead><tr>';
        foreach (['queue_col_id', 'queue_col_hook', 'queue_col_attempts', 'queue_col_error', 'queue_col_created'] as $col) {
            $html .= '<th>' . self::h($lang->get($col)) . '</th>';
        }
        $html .= '<th></th></tr></thead><tbody>';
        foreach ($rows as $row) {
            $failedRow = self::isFailed($row);
            $html .= '<tr data-queue-id="' . (int) $row->id . '">'
                . '<td>' . (int) $row->id . '</td>'
                . '<td>' . self::h((string) $row->hook) . '</td>'
                . '<td>' . (int) $row->attempts . '</td>'
                . '<td>' . self::h((string) ($row->last_error ?? '')) . '</td>'
                . '<td>' . self::h(self::when($row->created_at)) . '</td><td>';
            if ($failedRow) {
                $html .= '<form method="post" action="' . self::h($link) . '">'
                    . '<input type="hidden" name="token" value="' . self::h($token) . '">'
                    . '<input type="hidden" name="privacysuite_retry" value="' . (int) $row->id . '">'
                    . '<button type="submit" class="btn btn-default btn-sm">' . self::h($lang->get('queue_retry')) . '</button></form>';
            } else {
                $html .= self::h($lang->get('queue_pending'));
            }
            $html .= '</td></tr>';
        }
        return $html . '</tbody></table>';
    }

    /** Resets one failed entry to pending (due now, attempts and error cleared) after WHMCS's CSRF check. */
    private static function retry(Lang $lang, int $id): string
    {
        try {
            if (!function_exists('check_token') || !check_token('WHMCS.admin.default')) {
                return self::alert('danger', $lang->get('queue_retry_refused'));
            }
            $changed = self::failed(Capsule::table(self::QUEUE)->where('id', $id))
                ->update(['last_error' => null, 'attempts' => 0, 'next_attempt_at' => self::now()]);
        } catch (\Throwable $e) {
            PageLog::failure('retry', $e);
            $changed = 0;
        }
        return $changed === 1
            ? self::alert('success', $lang->get('queue_retried', $id))
            : self::alert('danger', $lang->get('queue_retry_refused'));
    }

    /** Entries failed for good (the suite refused them): undelivered and no next attempt (lib/Queue.php's rows). */
    private static function failed($query)
    {
        return $query->whereNull('delivered_at')->whereNull('next_attempt_at');
    }

    private static function isFailed($row): bool
    {
        return $row->next_attempt_at === null;
    }

    /** The queue's time format: stored as Unix seconds or as a date-time string. */
    private static function when($value): string
    {
        if ($value === null || $value === '') {
            return '';
        }
        return is_numeric($value) ? gmdate('Y-m-d H:i:s', (int) $value) . ' UTC' : (string) $value . ' UTC';
    }

    /** Queue times are UTC 'Y-m-d H:i:s', as lib/Queue.php writes them. */
    private static function now(): string
    {
        return gmdate('Y-m-d H:i:s');
    }

    private static function alert(string $kind, string $text): string
    {
        return '<div class="alert alert-' . $kind . '" role="status">' . self::h($text) . '</div>';
    }

    private static function h(string $s): string
    {
        return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }
}
