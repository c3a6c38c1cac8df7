<?php
// refused: syntax (enums)
enum Suit { case Hearts; }
