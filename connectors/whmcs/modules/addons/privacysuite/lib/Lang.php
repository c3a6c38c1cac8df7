<?php
/** The addon's strings for the pages and hooks: WHMCS's lang files by language name, English under any missing key. */

namespace WHMCS\Module\Addon\Privacysuite;

final class Lang
{
    private const KNOWN = ['english', 'german', 'french', 'spanish', 'russian', 'arabic'];

    /** @var array<string, string> */
    private $strings;

    /** @param array<string, string> $strings */
    public function __construct(array $strings)
    {
        $this->strings = $strings;
    }

    /** The strings of a WHMCS language name ('german', …); unknown names fall back to English. */
    public static function load(?string $language): Lang
    {
        $strings = self::read('english');
        $name = strtolower(trim((string) $language));
        if ($name !== 'english' && in_array($name, self::KNOWN, true)) {
            $strings = array_merge($strings, self::read($name));
        }
        return new Lang($strings);
    }

    /** The strings WHMCS hands an addon page in `$vars['_lang']` (already in the admin's or client's language). */
    public static function fromVars(array $vars): Lang
    {
        $given = isset($vars['_lang']) && is_array($vars['_lang']) ? $vars['_lang'] : [];
        return new Lang(array_merge(self::read('english'), $given));
    }

    /** The logged-in client's language (WHMCS keeps it in the session), for client-area hooks. */
    public static function forClient(): Lang
    {
        return self::load(isset($_SESSION['Language']) ? (string) $_SESSION['Language'] : null);
    }

    /** The logged-in admin's language (tbladmins.language), for admin-area hooks; English when unknown. */
    public static function forAdmin(): Lang
    {
        $language = null;
        try {
            if (!empty($_SESSION['adminid'])) {
                $language = \WHMCS\Database\Capsule::table('tbladmins')->where('id', (int) $_SESSION['adminid'])->value('language');
            }
        } catch (\Throwable $e) {
            $language = null;
        }
        return self::load(is_string($language) ? $language : null);
    }

    /** A string by key, filled with sprintf arguments; the key itself when no file has it. */
    public function get(string $key, ...$args): string
    {
        $text = $this->strings[$key] ?? $key;
        return $args === [] ? $text : vsprintf($text, $args);
    }

    /** @return array<string, string> */
    private static function read(string $name): array
    {
        $_ADDONLANG = [];
        $file = dirname(__DIR__) . '/lang/' . $name . '.php';
        if (is_file($file)) {
            include $file;
        }
        return is_array($_ADDONLANG) ? $_ADDONLANG : [];
    }
}
