<?php
/** After hooks the suite could not take, re-sent in order by the cron hook, each exactly once (mod_privacysuite_queue). */

namespace WHMCS\Module\Addon\Privacysuite;

use WHMCS\Database\Capsule;

/**
 * Rows (Schema::QUEUE): waiting = not delivered and next_attempt_at set; failed for good (the suite refused it as bad
 * input) = not delivered, next_attempt_at NULL, last_error set, until the admin page's Retry sets next_attempt_at again;
 * delivered = delivered_at set (the body is then emptied: the suite has it). last_error holds only a status and the
 * suite's error code. Times are UTC 'Y-m-d H:i:s'.
 */
final class Queue
{
    const TABLE = 'mod_privacysuite_queue';
    /** Backoff after the n-th failed attempt: 1, 2, 4, … minutes, at most an hour. */
    const BACKOFF_BASE = 60;
    const BACKOFF_MAX = 3600;
    /** Rows sent per cron run, so one run stays short. */
    const BATCH = 200;

    /** Whether the addon's table exists (the addon is activated); asked once per request. */
    public static function ready(): bool
    {
        static $ready = null;
        if ($ready === null) {
            $ready = Capsule::schema()->hasTable(self::TABLE);
        }
        return $ready;
    }

    /** Whether older events still wait to be sent (a new event must queue behind them). */
    public function hasWaiting(): bool
    {
        return $this->waiting()->exists();
    }

    /**
     * Queues an event the suite could not take. The same event again (same key) is not queued twice.
     *
     * @param array<string, mixed> $payload
     */
    public function enqueue(string $hook, array $payload, string $key, int $now, ?string $error = null): void
    {
        $this->insert($hook, $payload, $key, $now, $now, $error === null ? 0 : 1, $error);
    }

    /** An event the suite refused as bad input (4xx): kept for the admin page, never re-sent by the cron on its own. */
    public function recordRejected(string $hook, array $payload, string $key, int $now, string $error): void
    {
        $this->insert($hook, $payload, $key, $now, null, 1, $error);
    }

    /**
     * Sends the waiting events oldest first. Stops at the first one the suite could not take, or that is not due yet
     * (keeps the order; it backs off); one it refuses as bad input is marked failed and the run goes on.
     *
     * @return array{sent:int, failed:int, waiting:int}
     */
    public function flush(SuiteClient $client, ?int $now = null): array
    {
        $now = $now === null ? time() : $now;
        $sent = 0;
        $failed = 0;
        $rows = $this->waiting()->orderBy('id')->limit(self::BATCH)->get(['id', 'hook', 'idempotency_key', 'body', 'attempts', 'next_attempt_at']);
        foreach ($rows as $row) {
            if (self::time($row->next_attempt_at) > $now) {
                break;
            }
            $payload = json_decode((string) $row->body, true);
            $res = is_array($payload)
                ? $client->post('/api/v1/hooks/' . $row->hook, $payload, (string) $row->idempotency_key)
                : ['status' => 400, 'body' => ['code' => 'QUEUE_BODY_UNREADABLE']];
            $status = (int) ($res['status'] ?? 0);
            $attempts = (int) $row->attempts + 1;
            if (($status >= 200 && $status < 300) || Forwarder::alreadyTaken($res)) {
                $this->update((int) $row->id, ['delivered_at' => self::date($now), 'attempts' => $attempts,
                    'last_error' => null, 'body' => '{}']);
                $sent++;
                continue;
            }
            $error = Forwarder::errorCode($res);
            if (!Forwarder::retryable($status)) {
                $this->update((int) $row->id, ['attempts' => $attempts, 'last_error' => $error, 'next_attempt_at' => null]);
                $failed++;
                continue;
            }
            $this->update((int) $row->id, ['attempts' => $attempts, 'last_error' => $error,
                'next_attempt_at' => self::date($now + self::backoff($attempts))]);
            break;
        }
        $waiting = $this->waiting()->count();
        if ($sent + $failed > 0 || $waiting > 0) {
            Forwarder::log('queue flush', ['sent' => $sent, 'failed' => $failed, 'waiting' => $waiting]);
        }
        return ['sent' => $sent, 'failed' => $failed, 'waiting' => $waiting];
    }

    /** Seconds to wait after the n-th failed attempt. */
    public static function backoff(int $attempts): int
    {
        return (int) min(self::BACKOFF_MAX, self::BACKOFF_BASE * (2 ** max(0, min(10, $attempts - 1))));
    }

    private function waiting()
    {
        return Capsule::table(self::TABLE)->whereNull('delivered_at')->whereNotNull('next_attempt_at');
    }

    /** @param array<string, mixed> $payload */
    private function insert(string $hook, array $payload, string $key, int $now, ?int $due, int $attempts, ?string $error): void
    {
        Capsule::table(self::TABLE)->insertOrIgnore([
            'hook' => $hook,
            'idempotency_key' => $key,
            'body' => (string) json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PARTIAL_OUTPUT_ON_ERROR),
            'attempts' => $attempts,
            'last_error' => $error,
            'next_attempt_at' => $due === null ? null : self::date($due),
            'created_at' => self::date($now),
        ]);
    }

    /** @param array<string, mixed> $values */
    private function update(int $id, array $values): void
    {
        Capsule::table(self::TABLE)->where('id', $id)->update($values);
    }

    private static function date(int $ts): string
    {
        return gmdate('Y-m-d H:i:s', $ts);
    }

    /** A stored time as Unix seconds (a date-time string in UTC, or Unix seconds as the admin page's retry may write). */
    private static function time($value): int
    {
        if (is_numeric($value)) {
            return (int) $value;
        }
        $ts = strtotime((string) $value . ' UTC');
        return $ts === false ? 0 : $ts;
    }
}
