<?php
// refused: promoted constructor properties
class A { public function __construct(private int $x) {} }
