<?php
// refused: ::class on an object
$a = $o::class;
