<?php
/**
 * The signed, short-lived single-sign-on link from the client area into the brand's privacy center:
 * `<suite>/b/<brand>/privacy/sso?client=&exp=&sig=`, sig = hex HMAC-SHA256 with the hook secret of
 * `privacy-sso|<brand>|<client>|<exp>` (the suite's modules/consent/privacy-center/sso-link.ts). Each link opens once.
 */

namespace WHMCS\Module\Addon\Privacysuite;

final class Sso
{
    /** Seconds a link stays valid (the suite accepts at most 300). */
    public const LIFETIME_SECONDS = 120;

    /** The link's signature, as the suite checks it. */
    public static function signature(string $secret, string $brand, string $clientId, int $exp): string
    {
        return hash_hmac('sha256', 'privacy-sso|' . $brand . '|' . $clientId . '|' . $exp, $secret);
    }

    /** A fresh link for a WHMCS client id, valid LIFETIME_SECONDS from $now (default: the current time). */
    public static function link(Settings $settings, int $clientId, ?int $now = null): string
    {
        return self::linkUntil($settings, $clientId, ($now === null ? time() : $now) + self::LIFETIME_SECONDS);
    }

    /** The link with a given expiry (Unix seconds). */
    public static function linkUntil(Settings $settings, int $clientId, int $exp): string
    {
        if ($clientId < 1) {
            throw new \InvalidArgumentException('no client id');
        }
        $client = (string) $clientId;
        $query = http_build_query([
            'client' => $client,
            'exp' => (string) $exp,
            'sig' => self::signature($settings->hookSecret, $settings->brand, $client, $exp),
        ], '', '&', PHP_QUERY_RFC3986);
        return rtrim($settings->suiteUrl, '/') . '/b/' . rawurlencode($settings->brand) . '/privacy/sso?' . $query;
    }
}
