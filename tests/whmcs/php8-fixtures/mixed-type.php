<?php
// refused: mixed type
function f(): mixed { return 1; }
