<?php
// Signed JSON calls from WHMCS to the suite (docs/hook-api.md): X-Suite-Timestamp, X-Suite-Signature, Idempotency-Key.

namespace WHMCS\Module\Addon\Privacysuite;

final class SuiteClient
{
    const VERSION = '1.0.0';
    const JSON_FLAGS = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;

    /** @var Settings */
    private $settings;

    public function __construct(Settings $s)
    {
        $this->settings = $s;
    }

    /**
     * POST JSON to $path (e.g. '/api/v1/hooks/ClientAdd'), signed. The brand is added when the payload has none, and
     * an empty `vars` or `context` is sent as an object. Returns ['status' => int, 'body' => array|null,
     * 'error' => ?string]; a transport failure (timeout, refused, TLS) is status 0 with the error.
     */
    public function post(string $path, array $payload, ?string $idempotencyKey = null, ?float $timeout = null): array
    {
        if (!array_key_exists('brand', $payload)) {
            $payload = ['brand' => $this->settings->brand] + $payload;
        }
        foreach (['vars', 'context'] as $key) {
            if (array_key_exists($key, $payload) && $payload[$key] === []) {
                $payload[$key] = new \stdClass();
            }
        }
        $raw = json_encode($payload, self::JSON_FLAGS | JSON_INVALID_UTF8_SUBSTITUTE);
        if ($raw === false) {
            return ['status' => 0, 'body' => null, 'error' => 'json: ' . json_last_error_msg()];
        }
        if (!function_exists('curl_init')) {
            return ['status' => 0, 'body' => null, 'error' => 'the PHP curl extension is missing'];
        }
        $ts = time();
        $headers = [
            'Content-Type: application/json; charset=utf-8',
            'Accept: application/json',
            'X-Suite-Timestamp: ' . $ts,
            'X-Suite-Signature: ' . self::sign($this->settings->hookSecret, $ts, $raw),
            'Expect:',
        ];
        if ($idempotencyKey !== null && $idempotencyKey !== '') {
            $headers[] = 'Idempotency-Key: ' . preg_replace('/[\r\n]/', '', $idempotencyKey);
        }
        $total = $timeout !== null && $timeout > 0 ? $timeout : $this->settings->timeoutSeconds();
        $connect = min($total, $this->settings->connectTimeoutSeconds());

        $ch = curl_init($this->settings->suiteUrl . '/' . ltrim($path, '/'));
        curl_setopt_array($ch, [
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $raw,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_USERAGENT => 'privacysuite-whmcs/' . self::VERSION,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_NOSIGNAL => true,
            CURLOPT_TIMEOUT_MS => (int) ceil($total * 1000),
            CURLOPT_CONNECTTIMEOUT_MS => (int) ceil($connect * 1000),
            CURLOPT_SSL_VERIFYPEER => true,
            CURLOPT_SSL_VERIFYHOST => 2,
        ]);
        if (defined('CURLOPT_PROTOCOLS')) {
            curl_setopt($ch, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
        }
        $response = curl_exec($ch);
        if ($response === false) {
            $error = 'curl ' . curl_errno($ch) . ': ' . curl_error($ch);
            curl_close($ch);
            return ['status' => 0, 'body' => null, 'error' => $error];
        }
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        $body = json_decode((string) $response, true);
        return ['status' => $status, 'body' => is_array($body) ? $body : null, 'error' => null];
    }

    /** The signature header value: 'v1=' . hex HMAC-SHA256 of "<ts>.<raw body>" with the hook secret. */
    public static function sign(string $secret, int $ts, string $rawBody): string
    {
        return 'v1=' . hash_hmac('sha256', $ts . '.' . $rawBody, $secret);
    }
}
