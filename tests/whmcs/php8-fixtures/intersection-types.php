<?php
// refused: syntax (intersection types)
function f(Countable&Traversable $a) { return 1; }
