<?php
/** Logs a failure of the addon's pages through WHMCS's module log: the error's class and place, never data or secrets. */

namespace WHMCS\Module\Addon\Privacysuite;

final class PageLog
{
    public static function failure(string $action, \Throwable $e): void
    {
        try {
            if (function_exists('logModuleCall')) {
                logModuleCall('privacysuite', $action, '', get_class($e) . ' at ' . basename($e->getFile()) . ':' . $e->getLine());
            }
        } catch (\Throwable $ignored) {
            // Logging must never break the page either.
        }
    }

    /** A failure that is not an exception (an HTTP status, a transport error's words). */
    public static function note(string $action, string $what): void
    {
        try {
            if (function_exists('logModuleCall')) {
                logModuleCall('privacysuite', $action, '', $what);
            }
        } catch (\Throwable $ignored) {
            // Logging must never break the page either.
        }
    }
}
