"""Analytics: pure, typed functions over report, clue and case texts, with thin Django tasks around them."""
