<?php
// refused: syntax (first-class callable)
$f = strlen(...);
