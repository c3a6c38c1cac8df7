<?php
// refused: static return type
class A { public function f(): static { return $this; } }
