#!/bin/bash
# process-monitor.sh - Monitor high CPU/memory processes

THRESHOLD_CPU=80.0
THRESHOLD_MEM_MB=500

initctl ps list | tail -n +3 | while read line; do
    PID=$(echo $line | awk '{print $1}')
    CPU=$(echo $line | awk '{print $4}')
    MEM=$(echo $line | awk '{print $5}')
    MANAGED=$(echo $line | awk '{print $6}')
    SERVICE=$(echo $line | awk '{print $7}')
    CMD=$(echo $line | cut -d' ' -f8-)

    # Check CPU
    if (( $(echo "$CPU > $THRESHOLD_CPU" | bc -l) )); then
        echo "HIGH CPU: PID=$PID CPU=$CPU% MANAGED=$MANAGED SERVICE=$SERVICE"
        echo "  Command: $CMD"
    fi

    # Check memory (convert to MB for comparison)
    MEM_VAL=$(echo $MEM | sed 's/[^0-9.]//g')
    MEM_UNIT=$(echo $MEM | sed 's/[0-9.]//g')

    if [ "$MEM_UNIT" = "G" ]; then
        MEM_MB=$(echo "$MEM_VAL * 1024" | bc)
    elif [ "$MEM_UNIT" = "M" ]; then
        MEM_MB=$MEM_VAL
    else
        MEM_MB=$(echo "$MEM_VAL / 1024" | bc)
    fi

    if (( $(echo "$MEM_MB > $THRESHOLD_MEM_MB" | bc -l) )); then
        echo "HIGH MEM: PID=$PID MEM=$MEM MANAGED=$MANAGED SERVICE=$SERVICE"
        echo "  Command: $CMD"
    fi
done
