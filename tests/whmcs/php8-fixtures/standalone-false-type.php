<?php
// refused: false as a type
function f(): false { return false; }
