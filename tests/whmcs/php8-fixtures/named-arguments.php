<?php
// refused: syntax (named arguments)
f(value: 1);
