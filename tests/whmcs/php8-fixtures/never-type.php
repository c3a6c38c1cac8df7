<?php
// refused: never type
function f(): never { exit; }
