<?php
// refused: readonly
readonly class A {}
