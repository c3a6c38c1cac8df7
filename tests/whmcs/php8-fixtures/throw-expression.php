<?php
// refused: syntax (throw as an expression)
$x = $a ?? throw new Exception("no");
