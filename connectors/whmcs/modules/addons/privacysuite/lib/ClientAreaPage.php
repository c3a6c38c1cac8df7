<?php
/** The client area's "Privacy" page (index.php?m=privacysuite): a button that opens the brand's privacy center by a fresh SSO link. */

namespace WHMCS\Module\Addon\Privacysuite;

final class ClientAreaPage
{
    /** What privacysuite_clientarea answers WHMCS: title, breadcrumb, template and its variables. */
    public static function build(array $vars): array
    {
        $lang = Lang::fromVars($vars);
        $ssoUrl = '';
        try {
            $settings = Settings::load();
            $clientId = isset($_SESSION['uid']) ? (int) $_SESSION['uid'] : 0;
            if ($settings !== null && $clientId > 0) {
                $ssoUrl = Sso::linkUntil($settings, $clientId, self::freshExpiry(time()));
            }
        } catch (\Throwable $e) {
            PageLog::failure('clientarea', $e);
            $ssoUrl = '';
        }
        return self::page($lang, $ssoUrl);
    }

    /** The page with no link: what WHMCS shows when even building the page failed. */
    public static function unavailable(array $vars): array
    {
        return self::page(Lang::fromVars($vars), '');
    }

    /**
     * An expiry no earlier page view of this session used: each signature opens the center once, and two views in
     * the same second would otherwise get the same link (the second one's button would then be spent).
     */
    private static function freshExpiry(int $now): int
    {
        $used = isset($_SESSION['privacysuite_sso_exp']) && is_array($_SESSION['privacysuite_sso_exp']) ? $_SESSION['privacysuite_sso_exp'] : [];
        $used = array_values(array_filter(array_map('intval', $used), function (int $exp) use ($now): bool {
            return $exp > $now;
        }));
        $exp = $now + Sso::LIFETIME_SECONDS;
        while (in_array($exp, $used, true) && $exp > $now + 1) {
            $exp--;
        }
        $used[] = $exp;
        $_SESSION['privacysuite_sso_exp'] = array_slice($used, -50);
        return $exp;
    }

    private static function page(Lang $lang, string $ssoUrl): array
    {
        return [
            'pagetitle' => $lang->get('client_title'),
            'breadcrumb' => ['index.php?m=privacysuite' => $lang->get('client_title')],
            'templatefile' => 'clientarea',
            'requirelogin' => true,
            'forcessl' => false,
            'vars' => [
                'ssoUrl' => $ssoUrl,
                'ssoLifetime' => Sso::LIFETIME_SECONDS,
                'available' => $ssoUrl !== '',
                'text' => [
                    'intro' => $lang->get('client_intro'),
                    'open' => $lang->get('client_open'),
                    'expiry' => $lang->get('client_expiry'),
                    'unavailable' => $lang->get('client_unavailable'),
                ],
            ],
        ];
    }
}
