<?php
// PHP 7.4 that the compatibility check must accept (no false alarms): typed and nullable properties, arrow functions,
// ??=, spread in arrays, numeric separators, static::class, new static, nullable and self return types, closures.

namespace Fixture\Ok;

final class Box
{
    private ?int $size = null;
    private array $items = [];
    public static $made = 0;

    public static function make(): self
    {
        static::$made++;
        return new static();
    }

    public function name(): string
    {
        return static::class . '/' . self::class . '/' . Box::class;
    }

    public function size(?int $fallback = 1_000): ?int
    {
        $this->size ??= $fallback;
        return $this->size;
    }

    public function all(iterable $more, object $o = null): array
    {
        $double = fn ($x) => $x * 2;
        $f = function ($x) use ($double) {
            return $double($x);
        };
        return [...$this->items, ...array_map($f, [1, 2]), get_class($o ?? $this)];
    }
}

# a hash comment is fine
$x = Box::make()->size() ?? 0;
