<?php
/**
 * The terms and privacy versions in force, as the suite answers them (POST /api/v1/connector/documents), for the
 * hidden inputs that name the versions a checkout or registration page shows, and the e-mail templates the brand
 * classes transactional, which EmailPreSend lets through while the suite is unreachable. The answer is cached in
 * mod_privacysuite_cache for TTL seconds; a refresh asks with a short timeout, and when the suite does not answer the
 * last cached answer is kept (tried again after RETRY seconds, so a suite that is down does not slow every page).
 */

namespace WHMCS\Module\Addon\Privacysuite;

use WHMCS\Database\Capsule;

final class Documents
{
    const PATH = '/api/v1/connector/documents';
    /** How long an answer is used before asking again, in seconds. */
    const TTL = 600;
    /** After a failed refresh, how long the last answer is used before trying again, in seconds. */
    const RETRY = 60;
    /** How long a refresh may take, in seconds (a page waits for it). */
    const TIMEOUT = 2.0;

    /** @var array<string, array<string, mixed>|null> answers already read in this request, by cache key */
    private static $memo = [];

    /**
     * The versions a person in $locale (Additions::locale() of their WHMCS language, e.g. 'de'; null when none) is shown:
     * ['terms' => ?string, 'privacy' => ?string]; null where the suite names none or was never reached.
     *
     * @return array{terms: ?string, privacy: ?string}
     */
    public static function versions(Settings $settings, ?string $locale = null, ?int $now = null): array
    {
        $versions = ['terms' => null, 'privacy' => null];
        $answer = self::answer($settings, $now === null ? time() : $now);
        if ($answer === null) {
            return $versions;
        }
        // The suite answers every locale it ships; any other (or none) is its `fallback`, as for a hook call's context.
        $locales = isset($answer['locales']) && is_array($answer['locales']) ? $answer['locales'] : [];
        $fallback = isset($answer['fallback']) && is_string($answer['fallback']) ? $answer['fallback'] : '';
        if ($locale !== null && isset($locales[$locale]) && is_array($locales[$locale])) {
            $documents = $locales[$locale];
        } elseif (isset($locales[$fallback]) && is_array($locales[$fallback])) {
            $documents = $locales[$fallback];
        } else {
            $documents = isset($answer['documents']) && is_array($answer['documents']) ? $answer['documents'] : [];
        }
        foreach (array_keys($versions) as $kind) {
            $version = $documents[$kind]['version'] ?? null;
            if (is_string($version) && trim($version) !== '' && strlen(trim($version)) <= 32) {
                $versions[$kind] = trim($version);
            }
        }
        return $versions;
    }

    /**
     * The names of the e-mail templates the suite classes transactional for this brand, from its last answer; null
     * when the suite was never reached (nothing is known about the templates then).
     *
     * @return string[]|null
     */
    public static function transactional(Settings $settings, ?int $now = null): ?array
    {
        $answer = self::answer($settings, $now === null ? time() : $now);
        if ($answer === null || !isset($answer['transactional']) || !is_array($answer['transactional'])) {
            return null;
        }
        return array_values(array_filter($answer['transactional'], 'is_string'));
    }

    /** Forgets the answers read in this request (the next call reads the cache again). */
    public static function forget(): void
    {
        self::$memo = [];
    }

    /** @return array<string, mixed>|null the suite's answer: cached while fresh, else asked, else the last one cached */
    private static function answer(Settings $settings, int $now): ?array
    {
        $key = 'documents:' . sha1($settings->suiteUrl . '|' . $settings->brand);
        if (array_key_exists($key, self::$memo)) {
            return self::$memo[$key];
        }
        $cached = null;
        $fresh = false;
        try {
            $row = Capsule::table(Schema::CACHE)->where('key', $key)->first();
        } catch (\Throwable $e) {
            $row = null; // the table is missing until the addon is activated or upgraded: ask the suite each request
        }
        if ($row !== null) {
            $decoded = json_decode((string) $row->value, true);
            $cached = is_array($decoded) ? $decoded : null;
            $fresh = $cached !== null && (int) $row->expires_at > $now;
        }
        if ($fresh) {
            return self::$memo[$key] = $cached;
        }
        $res = (new SuiteClient($settings))->post(self::PATH, ['brand' => $settings->brand], null, self::TIMEOUT);
        $body = $res['body'] ?? null;
        if ((int) ($res['status'] ?? 0) === 200 && is_array($body) && ($body['ok'] ?? false) === true) {
            $answer = [
                'fallback' => $body['fallback'] ?? null, 'documents' => $body['documents'] ?? null, 'locales' => $body['locales'] ?? null,
                'transactional' => $body['transactional'] ?? null,
            ];
            self::store($key, $answer, $now + self::TTL);
            return self::$memo[$key] = $answer;
        }
        logModuleCall('privacysuite', 'documents', ['path' => self::PATH],
            'status ' . (int) ($res['status'] ?? 0) . (isset($res['error']) && is_string($res['error']) ? ' ' . $res['error'] : ''), '', []);
        if ($cached !== null) {
            self::store($key, $cached, $now + self::RETRY);
        }
        return self::$memo[$key] = $cached;
    }

    /** @param array<string, mixed> $answer */
    private static function store(string $key, array $answer, int $expiresAt): void
    {
        $value = json_encode($answer, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
        if ($value === false) {
            return;
        }
        try {
            if (Capsule::table(Schema::CACHE)->where('key', $key)->exists()) {
                Capsule::table(Schema::CACHE)->where('key', $key)->update(['value' => $value, 'expires_at' => $expiresAt]);
            } else {
                Capsule::table(Schema::CACHE)->insertOrIgnore(['key' => $key, 'value' => $value, 'expires_at' => $expiresAt]);
            }
        } catch (\Throwable $e) {
            logModuleCall('privacysuite', 'documents', ['cache' => Schema::CACHE], get_class($e), '', []);
        }
    }
}
