<?php
// refused: union types
function f(int|string $a): int { return 1; }
