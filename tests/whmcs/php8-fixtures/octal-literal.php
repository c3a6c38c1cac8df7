<?php
// refused: explicit octal literal
$a = 0o17;
