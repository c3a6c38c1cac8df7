<?php
// refused: syntax (match)
$x = match ($a) { 1 => 2, default => 3 };
