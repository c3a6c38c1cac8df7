<?php
/**
 * The privacy panel on the admin's client summary (AdminAreaClientSummaryPage): the client's status from the suite's
 * `POST /api/v1/connector/client-status` — consents in force, marketing, open requests with due dates, restriction —
 * and a link to the client in the suite's admin panel. Any failure is one line, "Privacy status unavailable".
 */

namespace WHMCS\Module\Addon\Privacysuite;

final class ClientSummary
{
    /** The panel's HTML for a WHMCS client id ('' when the addon is not configured). Never throws. */
    public static function render(int $userid, ?Lang $lang = null): string
    {
        try {
            $lang = $lang ?? Lang::forAdmin();
        } catch (\Throwable $e) {
            $lang = new Lang([]);
        }
        try {
            $settings = Settings::load();
            if ($settings === null || $userid < 1) {
                return '';
            }
            $res = (new SuiteClient($settings))->post('/api/v1/connector/client-status', ['brand' => $settings->brand, 'userid' => $userid]);
            $status = (int) ($res['status'] ?? 0);
            $body = $res['body'] ?? null;
            if ($status === 404) {
                return self::panel($lang, $settings, $userid, '<p>' . self::h($lang->get('summary_unknown')) . '</p>');
            }
            if ($status !== 200 || !is_array($body)) {
                PageLog::note('client-summary', 'HTTP ' . $status . ($status === 0 ? ' ' . (string) ($res['error'] ?? '') : ''));
                return self::unavailable($lang);
            }
            return self::panel($lang, $settings, $userid, self::status($lang, $body));
        } catch (\Throwable $e) {
            PageLog::failure('client-summary', $e);
            return self::unavailable($lang);
        }
    }

    /** The one line shown when the status cannot be had. */
    public static function unavailable(Lang $lang): string
    {
        return '<div class="privacysuite-summary privacysuite-unavailable">' . self::h($lang->get('summary_unavailable')) . '</div>';
    }

    private static function panel(Lang $lang, Settings $settings, int $userid, string $inner): string
    {
        $href = rtrim($settings->suiteUrl, '/') . '/admin/brands/' . rawurlencode($settings->brand) . '/consent/ledger?client=' . $userid;
        return '<div class="privacysuite-summary panel panel-default"><div class="panel-heading"><strong>'
            . self::h($lang->get('summary_heading')) . '</strong></div><div class="panel-body">' . $inner
            . '<p><a href="' . self::h($href) . '" target="_blank" rel="noopener">' . self::h($lang->get('summary_open_suite'))
            . '</a></p></div></div>';
    }

    /** The status itself; each part only when the suite sent it. */
    private static function status(Lang $lang, array $body): string
    {
        $html = '';
        $items = [];
        foreach (self::listOf($body['consents'] ?? []) as $c) {
            if (isset($c['state']) && $c['state'] !== 'given') {
                continue; // withdrawn: not in force
            }
            $name = self::text($c, ['purpose']) . (isset($c['version']) && is_scalar($c['version']) && (string) $c['version'] !== '' ? ' v' . $c['version'] : '');
            $since = self::date($c['at'] ?? null);
            $items[] = self::h($name) . ($since !== '' ? ' <small>(' . self::h($lang->get('summary_since', $since)) . ')</small>' : '');
        }
        $html .= self::section($lang, 'summary_consents', $items);

        $items = [];
        foreach (self::listOf($body['marketing'] ?? []) as $m) {
            $items[] = self::h(self::text($m, ['channel'])) . ': ' . self::h($lang->get(!empty($m['allowed']) ? 'summary_yes' : 'summary_no'));
        }
        $html .= self::section($lang, 'summary_marketing', $items);

        $items = [];
        $requests = $body['requests'] ?? [];
        foreach (self::listOf(is_array($requests) && isset($requests['list']) ? $requests['list'] : []) as $r) {
            $type = self::text($r, ['type']);
            $due = self::date($r['dueAt'] ?? null);
            $line = self::h($type) . ($due !== '' ? ' — ' . self::h($lang->get('summary_due', $due)) : '');
            if (!empty($r['overdue'])) {
                $line .= ' <strong>' . self::h($lang->get('summary_overdue')) . '</strong>';
            }
            $items[] = $line;
        }
        $html .= self::section($lang, 'summary_requests', $items);

        if (!empty($body['restricted'])) {
            $html .= '<p><strong>' . self::h($lang->get('summary_restricted')) . '</strong></p>';
        }
        if (!empty($body['legalHold'])) {
            $html .= '<p><strong>' . self::h($lang->get('summary_legal_hold')) . '</strong></p>';
        }
        return $html;
    }

    /** @param list<string> $items already escaped */
    private static function section(Lang $lang, string $key, array $items): string
    {
        $html = '<p><strong>' . self::h($lang->get($key)) . ':</strong> ';
        if ($items === []) {
            return $html . self::h($lang->get('summary_none')) . '</p>';
        }
        return $html . '</p><ul><li>' . implode('</li><li>', $items) . '</li></ul>';
    }

    /** @return list<array> */
    private static function listOf($value): array
    {
        if (!is_array($value)) {
            return [];
        }
        return array_values(array_filter($value, 'is_array'));
    }

    private static function text(array $row, array $keys): string
    {
        foreach ($keys as $k) {
            if (isset($row[$k]) && is_scalar($row[$k]) && (string) $row[$k] !== '') {
                return (string) $row[$k];
            }
        }
        return '';
    }

    /** A date from the suite (ISO text or epoch milliseconds/seconds) as YYYY-MM-DD; '' when absent. */
    private static function date($value): string
    {
        if (is_int($value) || is_float($value) || (is_string($value) && ctype_digit($value))) {
            $n = (int) $value;
            return gmdate('Y-m-d', $n > 100000000000 ? intdiv($n, 1000) : $n);
        }
        if (is_string($value) && $value !== '') {
            return substr($value, 0, 10);
        }
        return '';
    }

    private static function h(string $s): string
    {
        return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }
}
