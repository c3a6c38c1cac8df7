<?php
// refused: readonly
class A { public readonly int $x; }
