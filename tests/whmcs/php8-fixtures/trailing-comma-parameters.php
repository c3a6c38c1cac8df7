<?php
// refused: syntax (trailing comma in parameters)
function f($a, $b,) { return 1; }
