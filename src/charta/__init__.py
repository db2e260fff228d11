"""charta"""
