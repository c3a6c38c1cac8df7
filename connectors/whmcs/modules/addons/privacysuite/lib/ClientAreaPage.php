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
                $ssoUrl = Sso::link($settings, $clientId);
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
