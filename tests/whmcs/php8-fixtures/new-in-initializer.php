<?php
// refused: new in an initializer
function f($a = new ArrayObject()) { return $a; }
