"""Bad days and attacks, reproduced: each module shows one way in or down, and that it stays shut."""
