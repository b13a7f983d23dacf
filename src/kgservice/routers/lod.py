"""Router: lod."""

from fastapi import APIRouter

router = APIRouter()
