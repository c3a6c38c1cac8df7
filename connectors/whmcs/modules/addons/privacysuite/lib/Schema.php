<?php
// The addon's own tables, created and dropped with WHMCS's Capsule (Illuminate's schema builder).

namespace WHMCS\Module\Addon\Privacysuite;

use WHMCS\Database\Capsule;

final class Schema
{
    /** The after-hook queue: events the suite did not take yet, re-sent in id order by the cron hook. */
    const QUEUE = 'mod_privacysuite_queue';

    /** Answers of the suite kept for a while (Documents: the policy versions in force), by key until expires_at (unix time). */
    const CACHE = 'mod_privacysuite_cache';

    /** Every table the addon owns. */
    const TABLES = [self::QUEUE, self::CACHE];

    /** Creates whatever is missing (tables, and columns added by later versions); safe to run again. */
    public static function install(): void
    {
        $schema = Capsule::schema();
        if (!$schema->hasTable(self::QUEUE)) {
            $schema->create(self::QUEUE, function ($table) {
                $table->increments('id');
                $table->string('hook', 64);
                $table->string('idempotency_key', 191)->unique();
                $table->longText('body');
                $table->unsignedInteger('attempts')->default(0);
                $table->text('last_error')->nullable();
                $table->dateTime('next_attempt_at')->nullable()->index();
                $table->dateTime('created_at')->nullable();
                $table->dateTime('delivered_at')->nullable()->index();
            });
        }
        if (!$schema->hasTable(self::CACHE)) {
            $schema->create(self::CACHE, function ($table) {
                $table->string('key', 191)->primary();
                $table->longText('value');
                $table->unsignedInteger('expires_at');
            });
        }
    }

    /** Drops the addon's tables and everything in them. */
    public static function drop(): void
    {
        foreach (self::TABLES as $name) {
            Capsule::schema()->dropIfExists($name);
        }
    }

    /** True when every table exists. */
    public static function installed(): bool
    {
        foreach (self::TABLES as $name) {
            if (!Capsule::schema()->hasTable($name)) {
                return false;
            }
        }
        return true;
    }
}
