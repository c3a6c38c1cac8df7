<?php
// refused: syntax (nullsafe operator)
$a = $b?->c;
