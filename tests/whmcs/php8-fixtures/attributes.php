<?php
// refused: attributes
#[Deprecated]
function f() {}
